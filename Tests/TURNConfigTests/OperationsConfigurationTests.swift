import Testing
import TURNConfig

/// `alternate-server` and `syslog`, as coturn spells them.
struct OperationsConfigurationTests {
    private func load(_ text: String) -> (TURNServerConfiguration, [ConfigDiagnostic]) {
        TURNServerConfiguration.load(fileText: "static-auth-secret=s\n" + text, arguments: [], strict: false)
    }

    @Test func readsAlternateServers() {
        let (configuration, diagnostics) = self.load("alternate-server=192.0.2.7\nalternate-server=192.0.2.8:3479\nalternate-server=[2001:db8::1]:3478")
        #expect(diagnostics.isEmpty)
        #expect(configuration.alternateServers == ["192.0.2.7", "192.0.2.8:3479", "[2001:db8::1]:3478"])
    }

    @Test(arguments: ["host.example:3478", "192.0.2.7:0", "[2001:db8::1", "192.0.2.7:99999", "[2001:db8::1]x"])
    func refusesABadAlternateServerOnItsLine(value: String) {
        let (configuration, diagnostics) = self.load("alternate-server=\(value)")
        #expect(diagnostics.contains { $0.severity == .error && $0.line == 2 })
        #expect(configuration.alternateServers.isEmpty)
    }

    @Test(arguments: ["syslog", "log-file=syslog"])
    func logsToSyslog(line: String) {
        let (configuration, diagnostics) = self.load(line)
        #expect(diagnostics.isEmpty)
        #expect(configuration.syslog)
    }
}
