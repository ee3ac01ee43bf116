import ArgumentParser
import TURNConfig

/// `turngate check-config -c FILE`: every diagnostic of a configuration, without starting.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Check a configuration file and print its diagnostics; exit 0 when it would start, 2 when not."
    )

    @Option(name: [.customShort("c"), .customLong("config")], help: "The configuration file.")
    var configFile: String

    @Flag(help: "Count warnings as errors, as strict-config does.")
    var strict = false

    @Argument(parsing: .allUnrecognized, help: "Options as --key [value], as `turngate` takes them.")
    var options: [String] = []

    func run() async throws {
        let (configuration, diagnostics) = try ConfigurationFile.load(path: self.configFile, options: self.options, strict: self.strict)
        ConfigurationFile.print(diagnostics, origin: self.configFile)
        var errors = diagnostics.filter { $0.severity == .error }.count
        if errors == 0 {
            do {
                try RelaySetup.serviceConfiguration(configuration).tls?.validate()
                try RelaySetup.prometheusTLSSettings(configuration)?.validate()
                try await GatewaySetup.validate(configuration)
            } catch {
                printError("turngate: \(error)")
                errors += 1
            }
        }
        let warnings = diagnostics.count - diagnostics.filter { $0.severity == .error }.count
        if errors > 0 {
            printError("\(self.configFile): invalid (\(errors) error(s), \(warnings) warning(s))")
            throw ExitCode(2)
        }
        print("\(self.configFile): OK (\(warnings) warning(s))")
    }
}
