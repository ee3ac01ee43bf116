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
}
