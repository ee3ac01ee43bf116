import Testing

@testable import TURNConfig

struct RelayConfigurationTests {
    @Test
    func defaultsAreCoturns() {
        let configuration = TURNServerConfiguration()
        #expect(configuration.minPort == 49152)
        #expect(configuration.maxPort == 65535)
        #expect(configuration.relayIPs.isEmpty)
        #expect(configuration.externalIPs.isEmpty)
        #expect(configuration.maxAllocateLifetime == 3600)
        #expect(configuration.channelLifetime == 600)
        #expect(configuration.permissionLifetime == 300)
        #expect(configuration.channelNumbers == .rfc5766)
    }

    @Test
    func appliesEveryRelayOption() {
        let text = """
            min-port=50000
            max-port=50100
            relay-ip=127.0.0.1
            relay-ip=::1
            external-ip=203.0.113.7
            external-ip=203.0.113.8/10.0.0.8
            external-ip=2001:db8::8/fd00::8
            max-allocate-lifetime=1800
            channel-lifetime=300
            permission-lifetime=120
            channel-numbers=rfc8656
            """
        let (configuration, diagnostics) = loadOptions(text, strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.minPort == 50000 && configuration.maxPort == 50100)
        #expect(configuration.relayIPs == ["127.0.0.1", "::1"])
        #expect(
            configuration.externalIPs == [
                TURNServerConfiguration.ExternalIP(publicIP: "203.0.113.7"),
                TURNServerConfiguration.ExternalIP(publicIP: "203.0.113.8", privateIP: "10.0.0.8"),
                TURNServerConfiguration.ExternalIP(publicIP: "2001:db8::8", privateIP: "fd00::8"),
            ])
        #expect(configuration.maxAllocateLifetime == 1800)
        #expect(configuration.channelLifetime == 300)
        #expect(configuration.permissionLifetime == 120)
        #expect(configuration.channelNumbers == .rfc8656)
    }

    /// The Synapse documentation's dual-stack layout: one plain `external-ip` per family.
    @Test
    func acceptsOnePlainExternalAddressPerFamily() {
        let (configuration, diagnostics) = loadOptions("external-ip=203.0.113.7\nexternal-ip=2001:db8::7", strict: true)
        #expect(diagnostics.isEmpty)
        #expect(
            configuration.externalIPs == [
                TURNServerConfiguration.ExternalIP(publicIP: "203.0.113.7"), TURNServerConfiguration.ExternalIP(publicIP: "2001:db8::7"),
            ])
    }

    @Test(arguments: [
        ("max-port=50000\nfingerprint\nmin-port=60000", 3, "min-port", "min-port 60000 is above max-port 50000"),
        ("min-port=60000\nmax-port=50000", 2, "max-port", "min-port 60000 is above max-port 50000"),
        ("fingerprint\nmax-port=40000", 2, "max-port", "min-port 49152 is above max-port 40000"),
    ])
    func refusesAMinPortAboveTheMaxPortOnTheLaterLine(text: String, line: Int, key: String, message: String) throws {
        let (_, diagnostics) = loadOptions(text)
        let diagnostic = try onlyDiagnostic(in: diagnostics, severity: .error, line: line, key: key)
        #expect(diagnostic.message.hasPrefix(message))
    }

    @Test
    func acceptsASinglePortRange() {
        let (configuration, diagnostics) = loadOptions("min-port=50000\nmax-port=50000", strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.minPort == configuration.maxPort)
    }

    @Test(arguments: [
        ("max-allocate-lifetime=60\nmax-allocate-lifetime", [3600, 600, 300]),
        ("channel-lifetime=60\nchannel-lifetime", [3600, 600, 300]),
        ("permission-lifetime=60\npermission-lifetime=", [3600, 600, 300]),
        ("max-allocate-lifetime=3\nchannel-lifetime=2\npermission-lifetime=1", [3, 2, 1]),
    ])
    func aBareLifetimeFallsBackToItsDefault(text: String, lifetimes: [Int]) {
        let (configuration, _) = loadOptions(text)
        #expect([configuration.maxAllocateLifetime, configuration.channelLifetime, configuration.permissionLifetime] == lifetimes)
    }

    @Test(arguments: [("channel-numbers=rfc5766", TURNServerConfiguration.ChannelNumbers.rfc5766), ("channel-numbers=RFC8656", .rfc8656)])
    func readsTheChannelNumberRange(text: String, range: TURNServerConfiguration.ChannelNumbers) {
        let (configuration, diagnostics) = loadOptions(text, strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.channelNumbers == range)
    }

    @Test
    func warnsAboutTheSameRelayAddressTwice() {
        let (configuration, diagnostics) = loadOptions("relay-ip=::1\nrelay-ip=0::1")
        #expect(configuration.relayIPs == ["::1"])
        #expect(diagnostics.map(\.line) == [2])
        #expect(diagnostics.map(\.severity) == [.warning])
        #expect(diagnostics.map(\.key) == ["relay-ip"])
    }

    @Test(arguments: [
        ("external-ip=203.0.113.7\nexternal-ip=203.0.113.9", "external-ip without a private address is also given for this address family on line 1"),
        ("external-ip=2001:db8::7\nexternal-ip=2001:db8::9", "external-ip without a private address is also given for this address family on line 1"),
        ("external-ip=2001:db8::7/fd00::1\nexternal-ip=2001:db8::9/fd00:0::1", "external-ip maps the private address fd00:0::1 again"),
    ])
    func refusesAnExternalAddressForTheSameRelayAddressTwice(text: String, message: String) throws {
        let (configuration, diagnostics) = loadOptions(text)
        let diagnostic = try onlyDiagnostic(in: diagnostics, severity: .error, line: 2, key: "external-ip")
        #expect(configuration.externalIPs.count == 1)
        #expect(diagnostic.message.hasPrefix(message))
    }

    static let badValues: [BadValueVector] = [
        BadValueVector("min-port=0", key: "min-port", "0 is not a port number"),
        BadValueVector("min-port=65536", key: "min-port", "65536 is not a port number"),
        BadValueVector("max-port=high", key: "max-port", "'high' is not a port number"),
        BadValueVector("max-port", key: "max-port", "requires a value"),
        BadValueVector("relay-ip=relay.example.org", key: "relay-ip", "is not an IPv4 or IPv6 address"),
        BadValueVector("relay-ip=10.0.0.0/8", key: "relay-ip", "prefix length"),
        BadValueVector("relay-ip", key: "relay-ip", "requires a value"),
        BadValueVector("external-ip=turn.example.org", key: "external-ip", "is not an IPv4 or IPv6 address"),
        BadValueVector("external-ip=203.0.113.7/", key: "external-ip", "the private address '' after '/'"),
        BadValueVector("external-ip=public/10.0.0.1", key: "external-ip", "the public address 'public' before '/'"),
        BadValueVector("external-ip=203.0.113.7/fd00::1", key: "external-ip", "maps addresses of different families"),
        BadValueVector("external-ip", key: "external-ip", "requires a value"),
        BadValueVector(
            "max-allocate-lifetime=0", key: "max-allocate-lifetime",
            "0 is not allowed as a number of seconds: expected a whole number from 1 up"),
        BadValueVector("channel-lifetime=-5", key: "channel-lifetime", "'-5' is not a number of seconds"),
        BadValueVector("permission-lifetime=1.5", key: "permission-lifetime", "'1.5' is not a number of seconds"),
        BadValueVector("permission-lifetime=5m", key: "permission-lifetime", "'5m' is not a number of seconds"),
        BadValueVector(
            "channel-numbers=rfc9999", key: "channel-numbers", "unknown channel number range 'rfc9999': expected one of rfc5766, rfc8656"),
        BadValueVector("channel-numbers", key: "channel-numbers", "requires a value"),
    ]

    @Test(arguments: Self.badValues)
    func reportsBadValuesOnTheirLine(vector: BadValueVector) throws {
        let (configuration, _) = try loadBadValue(vector)
        #expect(configuration.minPort == 49152 && configuration.maxPort == 65535)
    }
}
