import STUNWire
import TURNCore
import Testing

/// Refresh and expiry, RFC 8656 Section 8: new lifetimes, deletion with LIFETIME 0, and 437
/// once the allocation is gone.
struct TURNRequestProcessorRefreshTests {
    @Test func refreshExtendsTheLifetime() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        relay.advance(by: .seconds(500))
        let response = try relay.request(&alice, .refresh, [Lifetime(1200)])
        try expectSuccess(response, signedWith: alice.key)
        #expect(response.type == STUNMessageType(method: .refresh, messageClass: .successResponse))
        #expect(try response.attribute(Lifetime.self)?.rawValue == 1200)

        relay.advance(by: .seconds(200))  // 700 s: past the first expiry
        #expect(relay.processor.expire(now: relay.now) == [])
        let peer = try STUNTransportAddress.peer("8.8.8.8")
        try relay.permit(&alice, [peer])

        relay.advance(by: .seconds(999))  // 1699 s: one second before the new expiry
        #expect(relay.processor.expire(now: relay.now) == [])
        relay.advance(by: .seconds(1))
        #expect(relay.processor.expire(now: relay.now) == [.closeRelay(alice.fiveTuple)])
    }

    @Test(arguments: [
        (UInt32?.none, UInt32(600)),
        (30, 600),
        (1200, 1200),
        (99_999, 3600),
    ])
    func refreshNegotiatesTheLifetime(requested: UInt32?, granted: UInt32) throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        relay.advance(by: .seconds(100))
        let response = try relay.request(&alice, .refresh, requested.map { [Lifetime($0)] } ?? [])
        try expectSuccess(response, signedWith: alice.key)
        #expect(try response.attribute(Lifetime.self)?.rawValue == granted)
        #expect(relay.processor.allocation(for: alice.fiveTuple)?.expiresAt == relay.now + .seconds(granted))
    }

    @Test func refreshWithLifetimeZeroDeletesTheAllocation() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        let actions = relay.handle(alice.signed(.refresh, [Lifetime(0)]), from: alice)
        #expect(actions.count == 2)
        #expect(actions.last == .closeRelay(alice.fiveTuple))
        let response = try STUNMessage(parsing: try #require(actions.first?.responseBytes))
        try expectSuccess(response, signedWith: alice.key)
        #expect(try response.attribute(Lifetime.self)?.rawValue == 0)
        #expect(relay.processor.allocationCount == 0)
        #expect(relay.quotas.total == 0)

        try expectError(try relay.request(&alice, .refresh, [Lifetime(0)]), .allocationMismatch, signedWith: alice.key)
    }

    @Test func refreshWithoutAnAllocationGets437() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        try relay.challenge(&alice)
        try expectError(
            try relay.request(&alice, .refresh, [Lifetime(600)]),
            .allocationMismatch,
            signedWith: alice.key
        )
    }

    @Test func refreshAskingForAnotherFamilyGets443() throws {
        var relay = try TURNRelayHarness { $0.relayIPv6 = TURNRelayHarness.relayIPv6 }
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        let response = try relay.request(&alice, .refresh, [Lifetime(600), RequestedAddressFamily(.ipv6)])
        try expectError(response, .peerAddressFamilyMismatch, signedWith: alice.key)
    }

    @Test func refreshWithMalformedLifetimeGets400() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        let response = try relay.request(
            &alice,
            .refresh,
            raw: [STUNAttribute(type: .lifetime, value: [0, 0, 0, 0, 0, 0, 0, 0])]
        )
        try expectError(response, .badRequest, signedWith: alice.key)
        #expect(relay.processor.allocationCount == 1)
    }

    @Test func expiredAllocationRelaysNothingBeforeTheSweep() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        let peer = try STUNTransportAddress.peer("8.8.8.8")
        relay.advance(by: .seconds(500))
        // The permission (until 800 s) and the channel (until 1100 s) outlive the allocation (600 s).
        try expectSuccess(
            try relay.request(&alice, .channelBind, [ChannelNumber(0x4000), XORPeerAddress(peer)]),
            signedWith: alice.key
        )
        relay.advance(by: .seconds(99))
        #expect(relay.processor.channelRoute(on: alice.fiveTuple, channel: 0x4000, now: relay.now)?.peer == peer)
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: peer, now: relay.now) == .channel(0x4000))

        relay.advance(by: .seconds(1))  // 600 s: expired; the sweep has not run
        #expect(relay.processor.channelRoute(on: alice.fiveTuple, channel: 0x4000, now: relay.now)?.peer == nil)
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: peer, now: relay.now) == .drop)
        #expect(relay.handle(alice.send([1, 2, 3], to: peer), from: alice) == [.ignore(.noAllocation)])
    }

    @Test func expiredAllocationIsClosedAndLaterRequestsGet437() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        relay.advance(by: .seconds(599))
        #expect(relay.processor.expire(now: relay.now) == [])
        relay.advance(by: .seconds(1))

        // Expired but not yet swept: already 437.
        try expectError(
            try relay.request(&alice, .refresh, [Lifetime(600)]),
            .allocationMismatch,
            signedWith: alice.key
        )

        #expect(relay.processor.expire(now: relay.now) == [.closeRelay(alice.fiveTuple)])
        #expect(relay.processor.allocationCount == 0)
        #expect(relay.quotas.total == 0)
        let peer = try STUNTransportAddress.peer("8.8.8.8")
        try expectError(
            try relay.request(&alice, .refresh, [Lifetime(600)]),
            .allocationMismatch,
            signedWith: alice.key
        )
        try expectError(
            try relay.request(&alice, .createPermission, [XORPeerAddress(peer)]),
            .allocationMismatch,
            signedWith: alice.key
        )
        try expectError(
            try relay.request(&alice, .channelBind, [ChannelNumber(0x4000), XORPeerAddress(peer)]),
            .allocationMismatch,
            signedWith: alice.key
        )
        #expect(relay.processor.expire(now: relay.now) == [])
    }
}
