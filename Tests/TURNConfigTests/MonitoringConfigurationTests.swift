import Testing
import TURNConfig

struct MonitoringConfigurationTests {
    @Test func metricsAreOffOnCoturnsPortByDefault() {
        let configuration = TURNServerConfiguration()
        #expect(!configuration.prometheusEnabled)
        #expect(configuration.prometheusPort == 9641)
        #expect(configuration.prometheusAddress == nil)
    }

    @Test func readsTheThreeKeys() {
        let (configuration, diagnostics) = TURNServerConfiguration.load(
            fileText: "prometheus\nprometheus-port=9700\nprometheus-address=127.0.0.1\nuser=a:b\nrealm=r\n",
            arguments: [],
            strict: true
        )
        #expect(diagnostics.isEmpty)
        #expect(configuration.prometheusEnabled)
        #expect(configuration.prometheusPort == 9700)
        #expect(configuration.prometheusAddress == "127.0.0.1")
    }

    @Test(arguments: ["prometheus-port=0", "prometheus-port=70000", "prometheus-address=localhost", "prometheus-address=[::1]"])
    func reportsBadValuesOnTheirLine(line: String) throws {
        let (_, diagnostics) = TURNServerConfiguration.load(fileText: "user=a:b\n\(line)\n", arguments: [], strict: false)
        let error = try #require(diagnostics.first { $0.severity == .error })
        #expect(error.line == 2)
    }

    @Test func commandLineOverridesThePort() {
        let (configuration, _) = TURNServerConfiguration.load(
            fileText: "prometheus-port=9700\n",
            arguments: ["--prometheus", "--prometheus-port", "9800"],
            strict: false
        )
        #expect(configuration.prometheusEnabled)
        #expect(configuration.prometheusPort == 9800)
    }

    @Test func prometheusTLSServesWithItsOwnPairAndTurnsMetricsOn() {
        let (configuration, diagnostics) = loadOptions("prometheus-tls\nprometheus-cert=/etc/m.pem\nprometheus-key=/etc/m.key")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(configuration.prometheusEnabled)
        #expect(configuration.prometheusTLSFiles?.certificateChain == "/etc/m.pem")
        #expect(configuration.prometheusTLSFiles?.privateKey == "/etc/m.key")
    }

    @Test func prometheusTLSFallsBackToTheTURNPair() {
        let (configuration, diagnostics) = loadOptions("prometheus-tls\ncert=/etc/t.pem\npkey=/etc/t.key")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(configuration.prometheusTLSFiles?.certificateChain == "/etc/t.pem")
        #expect(configuration.prometheusTLSFiles?.privateKey == "/etc/t.key")
    }

    @Test func prometheusTLSWithoutAnyPairIsAnError() throws {
        let (_, diagnostics) = loadOptions("prometheus-tls")
        let error = try onlyDiagnostic(in: diagnostics, severity: .error, line: 1, key: "prometheus-tls")
        #expect(error.message.contains("prometheus-cert and prometheus-key, or cert and pkey"))
    }

    @Test(arguments: [("prometheus-tls\nprometheus-cert=/m.pem", "prometheus-cert"), ("prometheus-tls\nprometheus-key=/m.key", "prometheus-key")])
    func halfAPairIsAnError(text: String, key: String) throws {
        let (_, diagnostics) = loadOptions(text)
        try onlyDiagnostic(in: diagnostics, severity: .error, line: 2, key: key)
    }

    @Test func thePairWithoutPrometheusTLSWarns() throws {
        let (configuration, diagnostics) = loadOptions("prometheus\nprometheus-cert=/m.pem\nprometheus-key=/m.key")
        #expect(diagnostics.count == 2 && diagnostics.allSatisfy { $0.severity == .warning }, "\(diagnostics)")
        #expect(configuration.prometheusTLSFiles == nil)
    }
}
