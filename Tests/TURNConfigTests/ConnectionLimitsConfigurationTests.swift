import Testing
import TURNConfig

struct ConnectionLimitsConfigurationTests {
    @Test func defaultsBoundEveryConnection() {
        let limits = TURNServerConfiguration().connectionLimits
        #expect(limits.total == 16_384)
        #expect(limits.perSource == 256)
        #expect(limits.firstFrameTimeout == 10)
        #expect(limits.tlsHandshakeTimeout == 10)
        #expect(limits.idleTimeout == 660)
        #expect(limits.prometheusTotal == 32)
        #expect(limits.prometheusIdleTimeout == 30)
        #expect(TURNServerConfiguration.defaultPrometheusAddress == "127.0.0.1")
    }

    @Test func readsEveryKey() {
        let text = """
            user=a:b
            realm=r
            tcp-connection-limit=100
            tcp-connections-per-ip=0
            tcp-first-frame-timeout=3
            tls-handshake-timeout=4
            tcp-idle-timeout=5
            prometheus-connection-limit=2
            prometheus-idle-timeout=6

            """
        let (configuration, diagnostics) = TURNServerConfiguration.load(fileText: text, arguments: [], strict: true)
        #expect(diagnostics.isEmpty)
        #expect(
            configuration.connectionLimits
                == .init(
                    total: 100, perSource: 0, firstFrameTimeout: 3, tlsHandshakeTimeout: 4, idleTimeout: 5, prometheusTotal: 2,
                    prometheusIdleTimeout: 6))
    }

    @Test(arguments: [
        "tcp-connection-limit=-1", "tcp-connection-limit=many", "tcp-connections-per-ip=1.5", "tcp-first-frame-timeout=0",
        "tls-handshake-timeout=604801", "tcp-idle-timeout=", "prometheus-connection-limit=0", "prometheus-idle-timeout=99999999999999999999",
    ])
    func reportsBadValuesOnTheirLine(line: String) throws {
        let (_, diagnostics) = TURNServerConfiguration.load(fileText: "user=a:b\n\(line)\n", arguments: [], strict: false)
        let error = try #require(diagnostics.first { $0.severity == .error })
        #expect(error.line == 2)
    }

    @Test func commandLineSetsALimit() {
        let (configuration, _) = TURNServerConfiguration.load(
            fileText: "tcp-connections-per-ip=8\n", arguments: ["--tcp-connections-per-ip", "9"], strict: false)
        #expect(configuration.connectionLimits.perSource == 9)
    }
}
