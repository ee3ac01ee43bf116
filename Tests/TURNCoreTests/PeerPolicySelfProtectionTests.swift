import IPAddressing
import STUNWire
import Testing
import TURNCore

/// The peer policy's self-protection: the relay's own host, its listeners, port 0 and
/// IPv4-mapped peers (RFC 8656 Section 21).
struct PeerPolicySelfProtectionTests {
    typealias Configuration = PeerAddressPolicy.Configuration
    typealias Decision = PeerAddressPolicy.Decision

    /// 8.8.4.4 plays a public interface address of the host, 1.0.0.5 the relay address and
    /// 1.0.0.6 its `external-ip`; 3478, 8080 and 9641 are the server's own listening ports.
    static func hostConfiguration(
        allowLoopbackPeers: Bool = false,
        allowedRanges: [String] = []
    ) throws -> Configuration {
        Configuration(
            allowLoopbackPeers: allowLoopbackPeers,
            allowedRanges: try allowedRanges.map { text throws(IPAddressParseError) in try IPAddressRange(parsing: text) },
            hostAddresses: [.v4(0x0808_0404), .v4(0x0100_0005), .v4(0x0100_0006), .v4(0x7F00_0001)],
            relayAddresses: [.v4(0x0100_0005), .v4(0x0100_0006)],
            relayPorts: 49152...65535,
            servicePorts: [3478, 8080, 9641]
        )
    }

    static func decision(_ text: String, port: UInt16, _ configuration: Configuration) throws -> Decision {
        PeerAddressPolicy(configuration: configuration).decision(peer: try .peer(text, port: port))
    }

    @Test func aHostAddressIsRefusedOnlyWhenTheHostHasIt() throws {
        #expect(try Self.decision("8.8.4.4", port: 7000, Configuration()) == .allowed)
        #expect(try Self.decision("8.8.4.4", port: 7000, Self.hostConfiguration()) == .deniedSelfProtection(.hostAddress))
        let policy = PeerAddressPolicy(configuration: try Self.hostConfiguration())
        #expect(!policy.permitsPermission(for: .v4(0x0808_0404)))
        #expect(policy.permitsPermission(for: .v4(0x0808_0808)))
    }

    @Test func anAllowedPeerIPNamingTheHostAddressOpensItButNotAWiderRange() throws {
        let named = try Self.hostConfiguration(allowedRanges: ["8.8.4.4"])
        #expect(try Self.decision("8.8.4.4", port: 7000, named) == .allowed)
        let wide = try Self.hostConfiguration(allowedRanges: ["8.8.0.0/16"])
        #expect(try Self.decision("8.8.4.4", port: 7000, wide) == .deniedSelfProtection(.hostAddress))
        #expect(try Self.decision("8.8.4.5", port: 7000, wide) == .allowed)
    }

    @Test(arguments: [3478, 8080, 9641] as [UInt16])
    func theServersOwnPortsStayClosedWhateverOpensTheAddress(port: UInt16) throws {
        let named = try Self.hostConfiguration(allowLoopbackPeers: true, allowedRanges: ["8.8.4.4", "1.0.0.5"])
        for host in ["8.8.4.4", "1.0.0.5", "1.0.0.6", "127.0.0.1", "127.0.0.2", "::1"] {
            #expect(try Self.decision(host, port: port, named) == .deniedSelfProtection(.ownService), "\(host)")
        }
        #expect(try Self.decision("8.8.8.8", port: port, named) == .allowed)
    }

    @Test func loopbackOpenedByItsFlagIsReachableOnOtherPorts() throws {
        let configuration = try Self.hostConfiguration(allowLoopbackPeers: true)
        #expect(try Self.decision("127.0.0.1", port: 40000, configuration) == .allowed)
        #expect(try Self.decision("::1", port: 7000, configuration) == .allowed)
        #expect(try Self.decision("127.0.0.1", port: 40000, Self.hostConfiguration()) == .deniedBuiltIn(.loopback))
    }

    @Test func relayAddressesAreReachableOnlyOnRelayPorts() throws {
        let configuration = try Self.hostConfiguration()
        let policy = PeerAddressPolicy(configuration: configuration)
        #expect(policy.permitsPermission(for: .v4(0x0100_0005)))
        #expect(policy.permitsPermission(for: .v4(0x0100_0006)))
        for relay in ["1.0.0.5", "1.0.0.6"] {
            #expect(try Self.decision(relay, port: 49152, configuration) == .allowed)
            #expect(try Self.decision(relay, port: 65535, configuration) == .allowed)
            #expect(try Self.decision(relay, port: 22, configuration) == .deniedSelfProtection(.hostAddress))
            #expect(try Self.decision(relay, port: 49151, configuration) == .deniedSelfProtection(.hostAddress))
        }
    }

    @Test func aHostAddressInsideNAT64IsRefused() throws {
        #expect(try Self.decision("64:ff9b::808:404", port: 7000, Self.hostConfiguration()) == .deniedSelfProtection(.hostAddress))
        #expect(try Self.decision("64:ff9b::808:808", port: 7000, Self.hostConfiguration()) == .allowed)
    }

    @Test(arguments: ["8.8.8.8", "2606:4700:4700::1111", "127.0.0.1"])
    func portZeroIsNeverAPeer(text: String) throws {
        let configuration = try Self.hostConfiguration(allowLoopbackPeers: true, allowedRanges: [text])
        #expect(try Self.decision(text, port: 0, configuration) == .deniedSelfProtection(.portZero))
        #expect(try Self.decision(text, port: 1, configuration) == .allowed)
    }

    @Test(arguments: ["::ffff:8.8.8.8", "::ffff:127.0.0.1", "::ffff:1.0.0.5"])
    func ipv4MappedPeersAreRefusedAsTheRelaySocketsAreIPv6Only(text: String) throws {
        let configuration = try Self.hostConfiguration(allowLoopbackPeers: true, allowedRanges: ["::ffff:0:0/96"])
        #expect(try Self.decision(text, port: 7000, configuration) == .deniedSelfProtection(.ipv4Mapped))
        let policy = PeerAddressPolicy(configuration: configuration)
        #expect(!policy.permitsPermission(for: try IPAddress(parsing: text)))
        #expect(policy.decision(permissionFor: try IPAddress(parsing: text)) == .deniedSelfProtection(.ipv4Mapped))
    }

    @Test func everyRuleHasADistinctLabel() {
        let labels = PeerAddressPolicy.SelfProtection.allCases.map { Decision.deniedSelfProtection($0).label }
        #expect(Set(labels).count == labels.count)
        #expect(labels.contains("this_host"))
    }
}
