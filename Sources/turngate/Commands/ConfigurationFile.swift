import ArgumentParser
import Foundation
import TURNConfig

/// Reads a configuration file and command-line options the way every subcommand does.
enum ConfigurationFile {
    /// The configuration and its diagnostics, or exit 2 when the file cannot be read.
    ///
    /// - Parameters:
    ///   - path: the `-c` file, if any.
    ///   - options: `--key value` overrides.
    ///   - strict: whether warnings count as errors.
    ///   - reportingErrors: whether an unreadable file is printed to standard error.
    static func load(
        path: String?,
        options: [String],
        strict: Bool = false,
        reportingErrors: Bool = true
    ) throws -> (TURNServerConfiguration, [ConfigDiagnostic]) {
        var fileText = ""
        if let path {
            do {
                fileText = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                if reportingErrors { printError("turngate: cannot read \(path): \(error.localizedDescription)") }
                throw ExitCode(2)
            }
        }
        return TURNServerConfiguration.load(fileText: fileText, arguments: options, strict: strict)
    }

    /// Prints every diagnostic, prefixed by where it comes from.
    static func print(_ diagnostics: [ConfigDiagnostic], origin: String?) {
        for diagnostic in diagnostics {
            printError(diagnostic.line == nil ? "turngate: \(diagnostic)" : "\(origin ?? "command line"): \(diagnostic)")
        }
    }
}

/// Writes one line to standard error.
func printError(_ line: String) {
    try? FileHandle.standardError.write(contentsOf: Data((line + "\n").utf8))
}
