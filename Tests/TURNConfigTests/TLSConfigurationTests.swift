import Testing
import TURNConfig

/// coturn's TLS options: `cert`, `pkey`, `tls-listening-port`, `cipher-list`, `no-tls` and the
/// version flags, and the checks between them.
struct TLSConfigurationTests {
    private func load(_ text: String) -> (TURNServerConfiguration, [ConfigDiagnostic]) {
        TURNServerConfiguration.load(fileText: "static-auth-secret=s\n" + text, arguments: [], strict: false)
    }

    @Test func readsEveryTLSOption() {
        let (configuration, diagnostics) = self.load("""
            cert=/etc/turn/cert.pem
            pkey=/etc/turn/key.pem
            tls-listening-port=443
            cipher-list=ECDHE+AESGCM
            no-tlsv1
            no-tlsv1_1
            """)
        #expect(diagnostics.isEmpty)
        #expect(configuration.certificateFile == "/etc/turn/cert.pem")
        #expect(configuration.privateKeyFile == "/etc/turn/key.pem")
        #expect(configuration.tlsListeningPort == 443)
        #expect(configuration.cipherList == "ECDHE+AESGCM")
        #expect(configuration.noTLSv1 && configuration.noTLSv1_1 && !configuration.noTLSv1_2)
        #expect(configuration.tlsEnabled)
    }

    @Test func defaultsToPort5349WithTLSOn() {
        let configuration = TURNServerConfiguration()
        #expect(configuration.tlsListeningPort == 5349)
        #expect(configuration.tlsEnabled)
        #expect(configuration.certificateFile == nil)
    }

    @Test(arguments: [("cert=/c.pem", 2, "cert needs pkey"), ("pkey=/k.pem", 2, "pkey needs cert")])
    func refusesHalfACertificate(line: String, at number: Int, message: String) {
        let (_, diagnostics) = self.load(line)
        let error = diagnostics.first { $0.severity == .error }
        #expect(error?.line == number)
        #expect(error?.message.contains(message) == true)
    }

    @Test func refusesTheTCPPortForTLS() {
        let (_, diagnostics) = self.load("listening-port=4000\ntls-listening-port=4000\ncert=/c\npkey=/k")
        #expect(diagnostics.contains { $0.severity == .error && $0.line == 3 })
    }

    @Test func warnsThatTLSOptionsNeedACertificate() {
        let (_, diagnostics) = self.load("tls-listening-port=443")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.severity == .warning && diagnostics.first?.line == 2)
    }

    @Test func badPortIsAnErrorOnItsLine() {
        let (_, diagnostics) = self.load("cert=/c\npkey=/k\ntls-listening-port=70000")
        #expect(diagnostics.contains { $0.severity == .error && $0.line == 4 })
    }

    @Test func noTLSTurnsTLSOff() {
        let (configuration, _) = self.load("no-tls")
        #expect(!configuration.tlsEnabled)
    }
}
