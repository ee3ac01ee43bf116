import IPAddressing
import STUNWire
import Testing
import TURNCore

struct PeerPolicyConfigurationTests {
    typealias Configuration = PeerAddressPolicy.Configuration
    typealias Decision = PeerAddressPolicy.Decision

    static func decision(_ text: String, _ configuration: Configuration) throws -> Decision {
        PeerAddressPolicy(configuration: configuration).decision(try IPAddress(parsing: text))
    }

    static func ranges(_ texts: String...) throws -> [IPAddressRange] {
        try texts.map { text throws(IPAddressParseError) in try IPAddressRange(parsing: text) }
    }

    @Test func defaultsAreTheSecureOnes() {
        let configuration = Configuration()
        #expect(!configuration.allowLoopbackPeers)
        #expect(!configuration.allowMulticastPeers)
        #expect(configuration.deniedRanges.isEmpty)
        #expect(configuration.allowedRanges.isEmpty)
    }

    @Test(arguments: ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"])
    func allowLoopbackPeersOpensLoopback(text: String) throws {
        #expect(try Self.decision(text, Configuration(allowLoopbackPeers: true)) == .allowed)
    }

    static let stillDeniedWithLoopback: [(String, Decision)] = [
        ("10.0.0.1", .deniedBuiltIn(.private)),
        ("::ffff:10.0.0.1", .deniedBuiltIn(.private)),
        ("169.254.169.254", .deniedBuiltIn(.linkLocal)),
        ("0.0.0.0", .deniedBuiltIn(.unspecified)),
        ("::", .deniedBuiltIn(.unspecified)),
        ("fe80::1", .deniedBuiltIn(.linkLocal)),
        ("224.0.0.1", .deniedBuiltIn(.multicast)),
        ("::127.0.0.1", .deniedBuiltIn(.loopback)),
        ("64:ff9b::7f00:1", .deniedBuiltIn(.loopback)),
        ("2002:7f00:1::1", .deniedBuiltIn(.loopback)),
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", .deniedBuiltIn(.loopback)),
    ]

    @Test(arguments: stillDeniedWithLoopback)
    func allowLoopbackPeersOpensNothingElse(text: String, expected: Decision) throws {
        #expect(try Self.decision(text, Configuration(allowLoopbackPeers: true)) == expected)
    }

    @Test func deniedRangesStillApplyToAnOpenedLoopback() throws {
        let configuration = Configuration(allowLoopbackPeers: true, deniedRanges: try Self.ranges("127.0.0.2"))
        #expect(try Self.decision("127.0.0.1", configuration) == .allowed)
        #expect(try Self.decision("127.0.0.2", configuration) == .deniedByRule)
        #expect(try Self.decision("::ffff:127.0.0.2", configuration) == .deniedByRule)
    }

    @Test func allowMulticastPeersOpensOnlyMulticast() throws {
        let configuration = Configuration(allowMulticastPeers: true)
        #expect(try Self.decision("224.0.0.251", configuration) == .allowed)
        #expect(try Self.decision("ff02::fb", configuration) == .allowed)
        #expect(try Self.decision("::ffff:239.1.2.3", configuration) == .allowed)
        #expect(try Self.decision("240.0.0.1", configuration) == .deniedBuiltIn(.reserved))
        #expect(try Self.decision("255.255.255.255", configuration) == .deniedBuiltIn(.reserved))
        #expect(try Self.decision("64:ff9b::e000:fb", configuration) == .deniedBuiltIn(.multicast))
        #expect(try Self.decision("127.0.0.1", configuration) == .deniedBuiltIn(.loopback))
    }

    static let deniedRules: [(String, String, String)] = [
        ("8.8.8.0/24", "8.8.8.8", "8.8.9.1"),
        ("1.1.1.0-1.1.1.255", "1.1.1.1", "1.1.2.1"),
        ("9.9.9.9", "9.9.9.9", "9.9.9.10"),
        ("83.166.64.0-83.166.95.255", "83.166.95.255", "83.166.96.0"),
        ("2606:4700::/32", "2606:4700::1111", "2606:4701::1"),
        ("2001:4860:4860::8888-2001:4860:4860::8889", "2001:4860:4860::8889", "2001:4860:4860::8844"),
        ("8.8.8.0/24", "::ffff:8.8.8.8", "::ffff:8.8.9.1"),
        ("8.8.8.0/24", "64:ff9b::808:808", "64:ff9b::809:101"),
    ]

    @Test(arguments: deniedRules)
    func deniedPeerIPDeniesAPublicAddressInEitherSyntax(rule: String, inside: String, outside: String) throws {
        let configuration = Configuration(deniedRanges: try Self.ranges(rule))
        #expect(try Self.decision(inside, configuration) == .deniedByRule)
        #expect(try Self.decision(outside, configuration) == .allowed)
    }

    @Test func allowedPeerIPReopensAPrivateAddress() throws {
        let configuration = Configuration(allowedRanges: try Self.ranges("10.0.0.5", "192.168.1.0/24", "fd00::/8"))
        #expect(try Self.decision("10.0.0.5", configuration) == .allowed)
        #expect(try Self.decision("::ffff:10.0.0.5", configuration) == .allowed)
        #expect(try Self.decision("10.0.0.6", configuration) == .deniedBuiltIn(.private))
        #expect(try Self.decision("192.168.1.77", configuration) == .allowed)
        #expect(try Self.decision("192.168.2.1", configuration) == .deniedBuiltIn(.private))
        #expect(try Self.decision("fd00::1", configuration) == .allowed)
        #expect(try Self.decision("fc00::1", configuration) == .deniedBuiltIn(.uniqueLocal))
        #expect(try Self.decision("169.254.169.254", configuration) == .deniedBuiltIn(.linkLocal))
    }

    @Test func allowedPeerIPWinsOverDeniedPeerIP() throws {
        let configuration = Configuration(
            deniedRanges: try Self.ranges("83.166.64.0-83.166.95.255"),
            allowedRanges: try Self.ranges("83.166.68.45")
        )
        #expect(try Self.decision("83.166.68.45", configuration) == .allowed)
        #expect(try Self.decision("83.166.68.46", configuration) == .deniedByRule)
    }

    @Test(arguments: [
        ("127.0.0.0/8", "127.0.0.1", Decision.deniedBuiltIn(.loopback)),
        ("::1", "::1", .deniedBuiltIn(.loopback)),
        ("::ffff:0:0/96", "::ffff:127.0.0.1", .deniedBuiltIn(.loopback)),
        ("0.0.0.0/8", "0.0.0.0", .deniedBuiltIn(.unspecified)),
        ("::/128", "::", .deniedBuiltIn(.unspecified)),
        ("224.0.0.0/4", "224.0.0.1", .deniedBuiltIn(.multicast)),
        ("ff00::/8", "ff02::1", .deniedBuiltIn(.multicast)),
    ])
    func allowedPeerIPDoesNotOpenWhatOnlyAFlagOpens(rule: String, text: String, expected: Decision) throws {
        let configuration = Configuration(allowedRanges: try Self.ranges(rule))
        #expect(try Self.decision(text, configuration) == expected)
    }

    @Test func anIPv6AddressMustPassAsItselfAndAsTheIPv4AddressInside() throws {
        let sixToFour = Configuration(allowedRanges: try Self.ranges("2002::/16"))
        #expect(try Self.decision("2002:808:808::1", sixToFour) == .allowed)
        #expect(try Self.decision("2002:a00:1::1", sixToFour) == .deniedBuiltIn(.private))
        let inner = Configuration(allowedRanges: try Self.ranges("10.0.0.0/8"))
        #expect(try Self.decision("2002:a00:1::1", inner) == .deniedBuiltIn(.sixToFour))
        #expect(try Self.decision("::10.0.0.1", inner) == .deniedBuiltIn(.reserved))
        #expect(try Self.decision("64:ff9b::a00:1", inner) == .allowed)
        let both = Configuration(allowedRanges: try Self.ranges("2002::/16", "10.0.0.0/8"))
        #expect(try Self.decision("2002:a00:1::1", both) == .allowed)
    }

    @Test func deniedRangesOfTheOtherFamilyDoNotMatch() throws {
        let configuration = Configuration(deniedRanges: try Self.ranges("::/0"))
        #expect(try Self.decision("8.8.8.8", configuration) == .allowed)
        #expect(try Self.decision("2606:4700::1111", configuration) == .deniedByRule)
        #expect(try Self.decision("::ffff:8.8.8.8", configuration) == .deniedByRule)
    }

    @Test func overlappingAndAdjacentRulesBehaveAsTheirUnion() throws {
        let configuration = Configuration(
            deniedRanges: try Self.ranges(
                "8.8.8.0/24", "8.8.8.128-8.8.9.10", "8.8.9.11", "255.255.255.255", "8.0.0.0/8", "1.0.0.0-1.0.0.0"
            )
        )
        for inside in ["8.0.0.0", "8.8.8.8", "8.8.9.11", "8.255.255.255", "1.0.0.0"] {
            #expect(try Self.decision(inside, configuration) == .deniedByRule, "\(inside)")
        }
        for outside in ["7.255.255.255", "9.0.0.0", "1.0.0.1", "0.255.255.255"] {
            #expect(try Self.decision(outside, configuration) != .deniedByRule, "\(outside)")
        }
    }

    @Test func keepsTheConfigurationItWasBuiltFrom() throws {
        let configuration = Configuration(allowLoopbackPeers: true, deniedRanges: try Self.ranges("8.8.8.8"))
        #expect(PeerAddressPolicy(configuration: configuration).configuration == configuration)
    }
}
