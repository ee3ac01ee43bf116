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
        #expect(diagnostics.filter(\.concernsWholeConfiguration).count == 1)
        #expect(diagnostics.allSatisfy { $0.line != nil || $0.concernsWholeConfiguration })
        #expect(!diagnostics.contains { $0.message.contains("unknown option") })
        #expect(
            Set(diagnostics.compactMap(\.key)) == [
                "no-rfc5780", "no-stun-backward-compatibility", "response-origin-only-with-rfc5780",
            ])
        var expected = TURNServerConfiguration()
        expected.syslog = true
        #expect(configuration == expected)
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
        #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
        #expect(diagnostics.allSatisfy { $0.line != nil })
    }

    @Test
    func synapseConfigurationKeepsItsSupportedSettings() {
        let (configuration, diagnostics) = TURNServerConfiguration.load(fileText: PublishedConfigs.synapse, arguments: [], strict: false)
        #expect(configuration.listeningIPs == ["10.0.0.1"])
        #expect(configuration.restAPICredentials && !configuration.longTermCredentials)
        #expect(configuration.staticAuthSecrets.count == 1)
        #expect(configuration.realm == "turn.matrix.example.org")
        #expect(configuration.deniedPeerIPs.count == 14)
        #expect(configuration.allowedPeerIPs.map(\.description) == ["10.0.0.1"])
        #expect(configuration.noMulticastPeers)
        #expect(configuration.userQuota == 12 && configuration.totalQuota == 1200)
        #expect(configuration.externalIPs == [TURNServerConfiguration.ExternalIP(publicIP: "203.0.113.7")])
        #expect(diagnostics.compactMap(\.key).isEmpty)
        #expect(!configuration.tcpRelayEnabled)
        #expect(configuration.syslog)
        #expect(configuration.certificateFile != nil && configuration.privateKeyFile != nil)
        #expect(!diagnostics.contains { $0.description.contains("4f2b8c0e1d9a7e6b") })
    }

    /// coturn reads the number before the remark (`atoi`), and so does TurnGate, with a warning.
    @Test
    func synapseQuotaLineAsPublishedReadsTheNumberAndNamesTheRemark() throws {
        let (configuration, diagnostics) = TURNServerConfiguration.load(
            fileText: "use-auth-secret\nstatic-auth-secret=s\n\(PublishedConfigs.synapseQuotaLine)", arguments: [], strict: false)
        let warning = try onlyDiagnostic(in: diagnostics, severity: .warning, line: 3, key: "user-quota")
        #expect(warning.message.hasPrefix("user-quota: the remark '# 4 streams per video call"))
        #expect(warning.message.hasSuffix("after 12 is ignored, as coturn ignores it (put remarks on a line of their own)"))
        #expect(configuration.userQuota == 12)
    }

    @Test
    func nextcloudFlagLineAsPublishedIsAnErrorThatExplainsTheRemark() throws {
        let (_, diagnostics) = TURNServerConfiguration.load(
            fileText: "\(PublishedConfigs.nextcloudFlagLine)\nuser=a:b", arguments: [], strict: false)
        let error = try #require(diagnostics.first { $0.severity == .error })
        #expect(diagnostics.count == 2)
        #expect(error.line == 1)
        #expect(error.message.contains("is a flag"))
        #expect(error.message.contains("coturn's syntax has no end-of-line comments"))
    }

    @Test
    func nextcloudConfigurationKeepsItsSupportedSettings() {
        let (configuration, diagnostics) = TURNServerConfiguration.load(
            fileText: PublishedConfigs.nextcloudTalk, arguments: [], strict: false)
        #expect(configuration.listeningPort == 3478)
        #expect(configuration.fingerprint)
        #expect(configuration.logFile == "/var/log/turnserver/turn.log")
        #expect(!configuration.stdoutLog)
        #expect(configuration.longTermCredentials && configuration.restAPICredentials)
        #expect(configuration.staleNonce == 600)
        #expect(configuration.totalQuota == 0 && configuration.bytesPerSecondCapacity == 0)
        #expect(diagnostics.contains { $0.line == 10 && $0.message.hasPrefix("unknown option 'no-loopback-peers'") })
    }

    @Test
    func jitsiConfigurationKeepsItsSupportedSettings() {
        let (configuration, _) = TURNServerConfiguration.load(fileText: PublishedConfigs.jitsi, arguments: [], strict: false)
        #expect(!configuration.tcpEnabled)
        #expect(configuration.udpEnabled)
        #expect(configuration.listeningPort == 3478)
        #expect(configuration.deniedPeerIPs.count == 14)
        #expect(configuration.externalIPs == [TURNServerConfiguration.ExternalIP(publicIP: "198.51.100.20")])
    }

    @Test(arguments: Self.published)
    func publishedConfigurationsFailUnderStrictMode(config: PublishedConfig) {
        let (configuration, diagnostics) = TURNServerConfiguration.load(
            fileText: config.text, arguments: ["--strict-config"], strict: false)
        #expect(configuration.strict)
        #expect(diagnostics.allSatisfy { $0.severity == .error })
    }
}
