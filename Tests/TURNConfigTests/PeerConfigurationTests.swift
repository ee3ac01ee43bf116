import IPAddressing
import Testing

@testable import TURNConfig

struct PeerConfigurationTests {
    @Test
    func defaultsAreEmptyListsAndNoLoopback() {
        let configuration = TURNServerConfiguration()
        #expect(configuration.allowedPeerIPs.isEmpty)
        #expect(configuration.deniedPeerIPs.isEmpty)
        #expect(!configuration.allowLoopbackPeers)
        #expect(!configuration.noMulticastPeers)
    }

    /// Every option that takes an address range: one syntax for all of them.
    static let keys = ["allowed-peer-ip", "denied-peer-ip", "api-allowed-ip", "api-denied-ip"]

    /// `key=value`, with what turns the credential gateway on after it for the `api-` keys
    /// (without it they would have no effect, which is a diagnostic of its own).
    static func setting(_ key: String, _ value: String) -> String {
        guard key.hasPrefix("api-") else { return "\(key)=\(value)" }
        let secret = String(repeating: "k", count: 40)
        return "\(key)=\(value)\napi-listening-port=8080\nstatic-auth-secret=relay-secret\njwt-secret=\(secret)"
    }

    /// The ranges of every range option.
    static func ranges(_ configuration: TURNServerConfiguration) -> [IPAddressRange] {
        configuration.allowedPeerIPs + configuration.deniedPeerIPs + configuration.apiAllowedIPs + configuration.apiDeniedIPs
    }

    @Test(
        arguments: Self.keys,
        [
            "83.166.68.45", "2001:db8::1", "10.0.0.0/8", "0.0.0.0/0", "192.0.2.1/32", "2001:db8::/32", "::/0", "::1/128",
            "::ffff:10.0.0.0/104", "10.0.0.0-10.255.255.255", "10.0.0.1-10.0.0.1", "2001:db8::-2001:db8::ffff",
            "240.0.0.0-255.255.255.255",
        ])
    func acceptsAnAddressABlockOrARange(key: String, value: String) throws {
        let (configuration, diagnostics) = loadOptions(Self.setting(key, value), strict: true)
        #expect(diagnostics.isEmpty)
        #expect(Self.ranges(configuration) == [try IPAddressRange(parsing: value)])
    }

    @Test
    func keepsEveryRangeInOrder() {
        let text = "denied-peer-ip=10.0.0.0/8\nallowed-peer-ip=10.0.0.1\ndenied-peer-ip=192.168.0.0-192.168.255.255\nallowed-peer-ip=::1"
        let (configuration, diagnostics) = loadOptions(text, strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.deniedPeerIPs.map(\.description) == ["10.0.0.0/8", "192.168.0.0/16"])
        #expect(configuration.allowedPeerIPs.map(\.description) == ["10.0.0.1", "::1"])
    }

    @Test(
        arguments: Self.keys,
        [
            ("10.0.0.0/33", "the prefix length must be a whole number from 0 to 32, without leading zeros"),
            ("2001:db8::/129", "from 0 to 128"),
            ("10.0.0.0/08", "without leading zeros"),
            ("10.0.0.0/", "the prefix length must be"),
            ("10.0.0.0/-8", "the prefix length must be"),
            ("10.0.0.1/8", "'10.0.0.1/8' is not a CIDR block: the address has bits set after the first 8"),
            ("2001:db8::1/32", "the address has bits set after the first 32"),
            ("peer.example.org/8", "'peer.example.org' is not an IPv4 or IPv6 address"),
            ("1.2.3.4/24-1.2.3.9", "the prefix length must be"),
            ("10.0.0.9-10.0.0.1", "'10.0.0.9-10.0.0.1' is not an address range: the first address is above the last"),
            ("2001:db8::2-2001:db8::1", "the first address is above the last"),
            ("10.0.0.0-::1", "it mixes IPv4 and IPv6"),
            ("10.0.0.0-", "the last address '' is not an IPv4 or IPv6 address"),
            ("-10.0.0.0", "the first address '' is not an IPv4 or IPv6 address"),
            ("10.0.0.0 - 10.0.0.255", "the first address '10.0.0.0 ' is not"),
            ("10.0.0.0-10.0.0.255-10.0.1.0", "the last address '10.0.0.255-10.0.1.0' is not"),
            ("peer.example.org", "is not an IPv4 or IPv6 address, a CIDR block (address/length) or a range (first-last)"),
            ("[::1]", "is not an IPv4 or IPv6 address, a CIDR block"),
            ("fe80::1%eth0", "zone identifiers such as %eth0 are not allowed here"),
            ("fe80::%eth0/64", "zone identifiers such as %eth0 are not allowed here"),
        ] as [(value: String, messagePart: String)])
    func reportsMalformedRangesOnTheirLine(key: String, vector: (value: String, messagePart: String)) throws {
        let (configuration, error) = try loadBadValue(BadValueVector(Self.setting(key, vector.value), key: key, vector.messagePart))
        #expect(error.message.hasPrefix("\(key): "))
        #expect(Self.ranges(configuration).isEmpty)
    }

    @Test(arguments: [
        ("allow-loopback-peers\nno-multicast-peers", true, true),
        ("allow-loopback-peers=no\nno-multicast-peers=false", false, false),
        ("allow-loopback-peers=on", true, false),
    ])
    func readsThePeerFlags(text: String, loopback: Bool, noMulticast: Bool) {
        let (configuration, diagnostics) = loadOptions(text, strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.allowLoopbackPeers == loopback)
        #expect(configuration.noMulticastPeers == noMulticast)
    }

    @Test(arguments: ["allow-loopback-peers=sure", "no-multicast-peers=2x", "allowed-peer-ip", "denied-peer-ip="])
    func reportsBadFlagsAndMissingValues(line: String) {
        let (_, diagnostics) = loadOptions("fingerprint\n\(line)")
        #expect(diagnostics.map(\.line) == [2])
        #expect(diagnostics.map(\.severity) == [.error])
    }
}
