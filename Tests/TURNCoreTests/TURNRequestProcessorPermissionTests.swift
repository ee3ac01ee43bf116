import STUNWire
import TURNCore
import Testing

/// CreatePermission, RFC 8656 Sections 9 and 10: several peers at once, 300 s lifetimes, and
/// the peer policy (403) and family (443) checks.
struct TURNRequestProcessorPermissionTests {
    @Test func installsSeveralPermissionsAtOnce() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        let first = try STUNTransportAddress.peer("8.8.8.8")
        let second = try STUNTransportAddress.peer("1.1.1.1")
        let other = try STUNTransportAddress.peer("9.9.9.9")
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: first, now: relay.now) == .drop)

        let response = try relay.request(&alice, .createPermission, [XORPeerAddress(first), XORPeerAddress(second)])
        try expectSuccess(response, signedWith: alice.key)
        #expect(response.type == STUNMessageType(method: .createPermission, messageClass: .successResponse))

        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: first, now: relay.now) == .dataIndication)
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: second, now: relay.now) == .dataIndication)
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: other, now: relay.now) == .drop)
        // Permissions are by IP address: any port of a permitted peer may send.
        let otherPort = STUNTransportAddress(address: first.address, port: 9999)
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: otherPort, now: relay.now) == .dataIndication)
        #expect(relay.processor.allocation(for: alice.fiveTuple)?.permissionCount == 2)
    }

    @Test func permissionExpiresAfterThreeHundredSeconds() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        let peer = try STUNTransportAddress.peer("8.8.8.8")
        try relay.permit(&alice, [peer])
        relay.advance(by: .seconds(299))
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: peer, now: relay.now) == .dataIndication)
        relay.advance(by: .seconds(1))
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: peer, now: relay.now) == .drop)
        #expect(relay.processor.expire(now: relay.now) == [])
        #expect(relay.processor.allocation(for: alice.fiveTuple)?.permissionCount == 0)
    }

    @Test func createPermissionRefreshesAPermission() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        let peer = try STUNTransportAddress.peer("8.8.8.8")
        try relay.permit(&alice, [peer])
        relay.advance(by: .seconds(200))
        try relay.permit(&alice, [peer])
        relay.advance(by: .seconds(250))  // 450 s: the first permission would be gone
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: peer, now: relay.now) == .dataIndication)
        relay.advance(by: .seconds(50))  // 500 s: 300 s after the refresh
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: peer, now: relay.now) == .drop)
    }

    @Test func createPermissionWithoutPeerGets400() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        try expectError(try relay.request(&alice, .createPermission), .badRequest, signedWith: alice.key)
        let malformed = STUNAttribute(type: .xorPeerAddress, value: [0, 1, 0x12])
        try expectError(
            try relay.request(&alice, .createPermission, raw: [malformed]),
            .badRequest,
            signedWith: alice.key
        )
    }

    @Test(arguments: [
        "127.0.0.1", "0.0.0.0", "10.0.0.1", "169.254.169.254", "100.64.0.1", "192.168.1.1", "172.16.0.1",
        "224.0.0.1",
    ])
    func deniedPeerGets403(peerText: String) throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        let peer = try STUNTransportAddress.peer(peerText)
        let response = try relay.request(&alice, .createPermission, [XORPeerAddress(peer)])
        try expectError(response, .forbidden, signedWith: alice.key)
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: peer, now: relay.now) == .drop)
        #expect(relay.processor.allocation(for: alice.fiveTuple)?.permissionCount == 0)
    }

    @Test func oneDeniedPeerRefusesTheWholeRequest() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        let good = try STUNTransportAddress.peer("8.8.8.8")
        let bad = try STUNTransportAddress.peer("10.0.0.1")
        try expectError(
            try relay.request(&alice, .createPermission, [XORPeerAddress(good), XORPeerAddress(bad)]),
            .forbidden,
            signedWith: alice.key
        )
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: good, now: relay.now) == .drop)
    }

    @Test func loopbackPeerPassesWhenAllowed() throws {
        var relay = try TURNRelayHarness {
            $0.peerPolicy = PeerAddressPolicy(configuration: .init(allowLoopbackPeers: true))
        }
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        let peer = try STUNTransportAddress.peer("127.0.0.1")
        try relay.permit(&alice, [peer])
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: peer, now: relay.now) == .dataIndication)
    }

    @Test func ipv6PeerOnAnIPv4AllocationGets443() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        let peer = try STUNTransportAddress.peer("2606:4700:4700::1111")
        try expectError(
            try relay.request(&alice, .createPermission, [XORPeerAddress(peer)]),
            .peerAddressFamilyMismatch,
            signedWith: alice.key
        )
    }

    /// Alice with an IPv6 allocation on 2001:db8::10.
    static func ipv6Allocation() throws -> (TURNRelayHarness, TURNClientScript) {
        var relay = try TURNRelayHarness { $0.relayIPv6 = TURNRelayHarness.relayIPv6 }
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice, [RequestedTransport.udp, RequestedAddressFamily(.ipv6)])
        #expect(relay.processor.allocation(for: alice.fiveTuple)?.relayedAddress.address == TURNRelayHarness.relayIPv6)
        return (relay, alice)
    }

    @Test(arguments: ["::ffff:127.0.0.1", "::ffff:10.0.0.1", "::1", "::", "fe80::1", "fc00::1", "2001:db8::1"])
    func deniedIPv6PeerGets403(peerText: String) throws {
        var (relay, alice) = try Self.ipv6Allocation()
        let peer = try STUNTransportAddress.peer(peerText)
        try expectError(
            try relay.request(&alice, .createPermission, [XORPeerAddress(peer)]),
            .forbidden,
            signedWith: alice.key
        )
    }

    @Test func ipv6AllocationPermitsPublicIPv6PeersAndRefusesIPv4Ones() throws {
        var (relay, alice) = try Self.ipv6Allocation()
        let peer = try STUNTransportAddress.peer("2606:4700:4700::1111")
        try relay.permit(&alice, [peer])
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: peer, now: relay.now) == .dataIndication)
        let ipv4 = try STUNTransportAddress.peer("8.8.8.8")
        try expectError(
            try relay.request(&alice, .createPermission, [XORPeerAddress(ipv4)]),
            .peerAddressFamilyMismatch,
            signedWith: alice.key
        )
    }
}
