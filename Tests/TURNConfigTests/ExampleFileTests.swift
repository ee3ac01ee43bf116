import Foundation
import Testing

@testable import TURNConfig

/// `turnserver.conf.example` at the root of the repository: `make run` starts the server on it.
struct ExampleFileTests {
    private static func exampleText() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("turnserver.conf.example"), encoding: .utf8)
    }

    @Test
    func loadsWithNoDiagnosticsInStrictMode() throws {
        let (configuration, diagnostics) = TURNServerConfiguration.load(fileText: try Self.exampleText(), arguments: [], strict: true)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        var expected = TURNServerConfiguration()
        expected.listeningIPs = ["127.0.0.1"]
        expected.fingerprint = true
        expected.strict = true
        expected.relayIPs = ["127.0.0.1"]
        expected.minPort = 49152
        expected.maxPort = 65535
        expected.realm = "turngate.example"
        expected.longTermCredentials = true
        expected.users = ["demo:demo-password"]
        expected.restAPICredentials = true
        expected.staticAuthSecrets = ["change-me-demo-secret"]
        expected.prometheusEnabled = true
        expected.prometheusAddress = "127.0.0.1"
        expected.apiListeningIPs = ["127.0.0.1"]
        expected.apiListeningPort = 8080
        expected.jwtSecrets = ["change-me-demo-jwt-secret-of-32-bytes-or-more"]
        expected.turnURIs = ["turn:127.0.0.1:3478?transport=udp", "turn:127.0.0.1:3478?transport=tcp"]
        expected.iceTestPage = true
        #expect(configuration == expected)
        #expect(!configuration.allowLoopbackPeers)
    }

    @Test
    func marksTheDemoCredentialsForReplacement() throws {
        let text = try Self.exampleText()
        #expect(text.contains("demo:demo-password is a demo user"))
        #expect(text.contains("change-me-demo-secret is a demo secret: replace it"))
        #expect(text.contains("#allow-loopback-peers\n"))
    }

    @Test
    func documentsEveryOption() throws {
        let lines = try Self.exampleText().split(separator: "\n").map(String.init)
        for key in ConfigKey.catalogue {
            let written = lines.contains { line in
                let option = line.hasPrefix("#") ? String(line.dropFirst()) : line
                return option == key.name || option.hasPrefix(key.name + "=") || option.hasPrefix(key.name + " ")
            }
            #expect(written, "'\(key.name)' is not in turnserver.conf.example")
        }
    }

    /// The credential gateway's section, uncommented, is a working gateway: its examples are
    /// valid values that give no diagnostic, even under strict mode.
    @Test
    func theGatewaySectionsExamplesLoadWhenUncommented() throws {
        let gatewayKeys = Set(GatewayConfigurationTests.gatewayKeys)
        var present: Set<String> = []
        let lines = try Self.exampleText().split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let option = line.hasPrefix("#") ? line.dropFirst() : line[...]
            let name = String(option.prefix { $0 != "=" && $0 != " " })
            guard gatewayKeys.contains(name) else { return String(line) }
            present.insert(name)
            return String(option)
        }
        #expect(present == gatewayKeys)
        let (configuration, diagnostics) = TURNServerConfiguration.load(
            fileText: lines.joined(separator: "\n"), arguments: [], strict: true)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(configuration.apiListeningPort == 8080)
        #expect(configuration.adminListeningPort == 8081)
        #expect(configuration.bandwidthClasses == TURNServerConfiguration.defaultBandwidthClasses)
        #expect(configuration.turnURIs.count == 5)
        #expect(configuration.apiRateLimit == TURNServerConfiguration.defaultAPIRateLimit)
    }

    @Test
    func listsUnsupportedOptionsOnlyAsComments() throws {
        let (directives, _) = ConfigFileLexer.lex(try Self.exampleText())
        for directive in directives {
            let key = try #require(ConfigKey.named(directive.key))
            #expect(key.isSupported, "'\(directive.key)' is not supported but set in turnserver.conf.example")
        }
    }
}
