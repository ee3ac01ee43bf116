import Testing

@testable import TURNConfig

/// A published configuration, named for test output.
struct PublishedConfig: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String

    var testDescription: String { self.name }
}

struct RealWorldConfigTests {
    @Test
    func coturnsExampleLoadsWithoutErrors() {
        let (configuration, diagnostics) = TURNServerConfiguration.load(fileText: CoturnExampleConfig.text, arguments: [], strict: false)
        #expect(!diagnostics.contains { $0.severity == .error })
        #expect(diagnostics.allSatisfy { $0.line != nil })
        #expect(!diagnostics.contains { $0.message.contains("unknown option") })
        #expect(
            Set(diagnostics.compactMap(\.key)) == [
                "syslog", "no-rfc5780", "no-stun-backward-compatibility", "response-origin-only-with-rfc5780",
            ])
        #expect(configuration == TURNServerConfiguration())
    }

    @Test
    func coturnsExampleIsTheWholeFile() {
        #expect(CoturnExampleConfig.text.utf8.count == 29362)
        #expect(CoturnExampleConfig.text.split(separator: "\n", omittingEmptySubsequences: false).count == 795)
    }

    @Test
    func recognisesEveryOptionOfCoturnsExampleOnceUncommented() throws {
        let lines = CoturnExampleConfig.text.split(separator: "\n", omittingEmptySubsequences: false)
        let uncommented = lines.map { line in Self.commentedOption(line).map(String.init) ?? String(line) }
        let options = Set(lines.compactMap { Self.commentedOption($0) }.compactMap { ConfigFileLexer.lex(String($0)).0.first?.key })
        let (directives, lexerDiagnostics) = ConfigFileLexer.lex(uncommented.joined(separator: "\n"))
        let (_, diagnostics) = TURNServerConfiguration.load(directives: directives, strict: false)

        #expect(lexerDiagnostics.isEmpty)
        #expect(options.count == 98)
        #expect(directives.count == 120)
        #expect(!diagnostics.contains { $0.message.contains("unknown option") })
        #expect(diagnostics.allSatisfy { $0.line != nil })
        for option in options {
            #expect(ConfigKey.named(option) != nil, "'\(option)' is not recognised")
        }
    }

    /// The option in a commented-out option line of coturn's example (`#verbose`,
    /// `# bps-capacity=0`, `#new-log-timestamp-format "%FT%T%z"`), without the comment mark.
    private static func commentedOption(_ line: Substring) -> Substring? {
        guard line.first == "#" else { return nil }
        var body = line.dropFirst()
        let spaced = body.first == " "
        if spaced {
            body = body.dropFirst()
        }
        let name = body.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        guard let first = name.first, first.isLetter else { return nil }
        let rest = body.dropFirst(name.count)
        let isOption = rest.isEmpty || rest.first == "=" || (!spaced && rest.hasPrefix(" \""))
        return isOption ? body : nil
    }

    static let published = [
        PublishedConfig(name: "Matrix Synapse", text: PublishedConfigs.synapse),
        PublishedConfig(name: "Nextcloud Talk", text: PublishedConfigs.nextcloudTalk),
        PublishedConfig(name: "Jitsi Meet", text: PublishedConfigs.jitsi),
    ]

    @Test(arguments: Self.published)
    func publishedConfigurationsLoadWithoutErrors(config: PublishedConfig) {
        let (_, diagnostics) = TURNServerConfiguration.load(fileText: config.text, arguments: [], strict: false)
        #expect(!diagnostics.isEmpty)
        #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
        #expect(diagnostics.allSatisfy { $0.line != nil })
    }

    @Test
    func synapseConfigurationKeepsItsSupportedSettings() {
        let (configuration, diagnostics) = TURNServerConfiguration.load(fileText: PublishedConfigs.synapse, arguments: [], strict: false)
        #expect(configuration.listeningIPs == ["10.0.0.1"])
        #expect(diagnostics.contains { $0.key == "static-auth-secret" && $0.message.contains("recognised, not supported") })
        #expect(diagnostics.contains { $0.key == "user-quota" && $0.message.contains("does not start a comment") })
        #expect(diagnostics.filter { $0.key == "denied-peer-ip" }.count == 14)
        #expect(!diagnostics.contains { $0.description.contains("4f2b8c0e1d9a7e6b") })
    }

    @Test
    func nextcloudConfigurationKeepsItsSupportedSettings() {
        let (configuration, diagnostics) = TURNServerConfiguration.load(
            fileText: PublishedConfigs.nextcloudTalk, arguments: [], strict: false)
        #expect(configuration.listeningPort == 3478)
        #expect(configuration.fingerprint)
        #expect(configuration.logFile == "/var/log/turnserver/turn.log")
        #expect(!configuration.stdoutLog)
        #expect(diagnostics.contains { $0.line == 10 && $0.message.hasPrefix("unknown option 'no-loopback-peers'") })
    }

    @Test
    func jitsiConfigurationKeepsItsSupportedSettings() {
        let (configuration, _) = TURNServerConfiguration.load(fileText: PublishedConfigs.jitsi, arguments: [], strict: false)
        #expect(!configuration.tcpEnabled)
        #expect(configuration.udpEnabled)
        #expect(configuration.listeningPort == 3478)
    }

    @Test(arguments: Self.published)
    func publishedConfigurationsFailUnderStrictMode(config: PublishedConfig) {
        let (configuration, diagnostics) = TURNServerConfiguration.load(
            fileText: config.text, arguments: ["--strict-config"], strict: false)
        #expect(configuration.strict)
        #expect(diagnostics.allSatisfy { $0.severity == .error })
    }
}
