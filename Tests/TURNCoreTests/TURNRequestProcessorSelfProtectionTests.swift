import IPAddressing
import STUNWire
import Testing
import TURNCore

/// The processor applies the peer policy's self-protection, refuses Allocates nested through
/// its own relay (TURN-in-TURN) and caps channels per allocation.
struct TURNRequestProcessorSelfProtectionTests {
    static let peer = STUNTransportAddress(address: .v4(0x0808_0808), port: 7000)

    /// A relay whose host is 8.8.4.4 and which listens on 3478 and 8080 there. Its relay
    /// address is in the documentation block, opened by a wide `allowed-peer-ip` range.
    static func hostRelay() throws -> TURNRelayHarness {
        let documentation = try IPAddressRange(parsing: "192.0.2.0/24")
        return try TURNRelayHarness {
            $0.peerPolicy = PeerAddressPolicy(configuration: .init(
                allowedRanges: [documentation],
                hostAddresses: [.v4(0x0808_0404), TURNRelayHarness.relayIPv4],
                relayAddresses: [TURNRelayHarness.relayIPv4],
                relayPorts: 49152...65535,
                servicePorts: [3478, 8080]
            ))
        }
    }

    @Test func createPermissionForAHostAddressGets403() throws {
        var relay = try Self.hostRelay()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        let response = try relay.request(&alice, .createPermission, [XORPeerAddress(try .peer("8.8.4.4"))])
        try expectError(response, .forbidden, signedWith: alice.key)
    }

    @Test func channelBindToTheServersOwnListenerGets403ButAnotherRelayIsReachable() throws {
        var relay = try Self.hostRelay()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        let listener = STUNTransportAddress(address: TURNRelayHarness.relayIPv4, port: 3478)
        try expectError(
            try relay.request(&alice, .channelBind, [ChannelNumber(0x4000), XORPeerAddress(listener)]), .forbidden, signedWith: alice.key)
        let ssh = STUNTransportAddress(address: TURNRelayHarness.relayIPv4, port: 22)
        try expectError(
            try relay.request(&alice, .channelBind, [ChannelNumber(0x4000), XORPeerAddress(ssh)]), .forbidden, signedWith: alice.key)
        let otherRelay = STUNTransportAddress(address: TURNRelayHarness.relayIPv4, port: 50_002)
        try expectSuccess(
            try relay.request(&alice, .channelBind, [ChannelNumber(0x4000), XORPeerAddress(otherRelay)]), signedWith: alice.key)
    }

    @Test func sendToTheServersOwnListenerOrPortZeroIsDropped() throws {
        var relay = try Self.hostRelay()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        try relay.permit(&alice, [STUNTransportAddress(address: TURNRelayHarness.relayIPv4, port: 50_002), Self.peer])
        let listener = STUNTransportAddress(address: TURNRelayHarness.relayIPv4, port: 3478)
        #expect(relay.handle(alice.send([1, 2, 3], to: listener), from: alice) == [.ignore(.deniedPeer)])
        let portZero = STUNTransportAddress(address: Self.peer.address, port: 0)
        #expect(relay.handle(alice.send([1, 2, 3], to: portZero), from: alice) == [.ignore(.deniedPeer)])
        guard case .sendToPeer? = relay.handle(alice.send([1, 2, 3], to: Self.peer), from: alice).first else {
            Issue.record("a public peer with a permission should be relayed to")
            return
        }
    }

    @Test func channelBindToPortZeroGets403() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        let portZero = STUNTransportAddress(address: Self.peer.address, port: 0)
        try expectError(
            try relay.request(&alice, .channelBind, [ChannelNumber(0x4000), XORPeerAddress(portZero)]), .forbidden, signedWith: alice.key)
    }

    @Test func anAllocateFromOneOfTheServersRelayedAddressesGets403() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice, relayPort: 50_000)
        var nested = TURNClientScript(username: "bob", password: "hunter2", port: 50_000, address: TURNRelayHarness.relayIPv4)
        let actions = relay.handle(nested.unauthenticated(.allocate, [RequestedTransport.udp]), from: nested)
        let response = try TURNRelayHarness.onlyResponse(actions)
        try expectError(response, .forbidden, signedWith: nil)
        #expect(actions.first?.summary?.refusal == .relayLoop)
        #expect(TURNRefusal.policyLabels.contains(TURNRefusal.relayLoop.label))

        // Once alice's allocation is gone, that address is an ordinary client again.
        #expect(relay.handle(alice.signed(.refresh, [Lifetime(0)]), from: alice).last == .closeRelay(alice.fiveTuple))
        let later = try relay.response(to: nested.unauthenticated(.allocate, [RequestedTransport.udp]), from: nested)
        try expectError(later, .unauthorized, signedWith: nil)
    }

    @Test func anotherPortOfTheRelayAddressIsAnOrdinaryClient() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice, relayPort: 50_000)
        var neighbour = TURNClientScript(username: "bob", password: "hunter2", port: 50_001, address: TURNRelayHarness.relayIPv4)
        let response = try relay.response(to: neighbour.unauthenticated(.allocate, [RequestedTransport.udp]), from: neighbour)
        try expectError(response, .unauthorized, signedWith: nil)
    }

    @Test func channelsPerAllocationAreCapped() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        for index in 0..<Allocation.maximumChannels {
            let peer = STUNTransportAddress(address: Self.peer.address, port: UInt16(10_000 + index))
            let response = try relay.request(&alice, .channelBind, [ChannelNumber(UInt16(0x4000 + index)), XORPeerAddress(peer)])
            try expectSuccess(response, signedWith: alice.key)
        }
        let extra = STUNTransportAddress(address: Self.peer.address, port: 20_000)
        let refused = try relay.request(&alice, .channelBind, [ChannelNumber(0x5000), XORPeerAddress(extra)])
        try expectError(refused, .insufficientCapacity, signedWith: alice.key)
        // Refreshing a binding it holds still works.
        let first = STUNTransportAddress(address: Self.peer.address, port: 10_000)
        try expectSuccess(
            try relay.request(&alice, .channelBind, [ChannelNumber(0x4000), XORPeerAddress(first)]), signedWith: alice.key)
    }
}
