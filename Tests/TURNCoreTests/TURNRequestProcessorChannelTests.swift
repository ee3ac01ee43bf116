import STUNWire
import TURNCore
import Testing

/// ChannelBind, RFC 8656 Section 12 (and RFC 5766 Section 11's wider number range): valid
/// numbers, conflicts, refreshes, and where ChannelData goes while a channel is bound.
struct TURNRequestProcessorChannelTests {
    static let peer = STUNTransportAddress(address: .v4(0x0808_0808), port: 7000)  // 8.8.8.8
    static let otherPeer = STUNTransportAddress(address: .v4(0x0101_0101), port: 7000)  // 1.1.1.1

    /// Alice with an allocation of 3600 s (it outlives channels), in a relay configured by `configure`.
    static func allocated(
        configure: (inout RelayConfiguration) -> Void = { _ in }
    ) throws -> (TURNRelayHarness, TURNClientScript) {
        var relay = try TURNRelayHarness(configure: configure)
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice, [RequestedTransport.udp, Lifetime(3600)])
        return (relay, alice)
    }

    @Test(arguments: [
        (UInt16(0x4000), STUNErrorCode?.none),
        (0x4FFF, nil),
        (0x5000, nil),
        (0x7FFF, nil),
        (0x3FFF, .badRequest),
        (0x8000, .badRequest),
        (0x0000, .badRequest),
        (0xFFFF, .badRequest),
    ])
    func acceptsTheRFC5766RangeByDefault(number: UInt16, code: STUNErrorCode?) throws {
        var (relay, alice) = try Self.allocated()
        let response = try relay.request(&alice, .channelBind, [ChannelNumber(number), XORPeerAddress(Self.peer)])
        if let code {
            try expectError(response, code, signedWith: alice.key)
            #expect(relay.processor.channelRoute(on: alice.fiveTuple, channel: number, now: relay.now)?.peer == nil)
        } else {
            try expectSuccess(response, signedWith: alice.key)
            #expect(response.type == STUNMessageType(method: .channelBind, messageClass: .successResponse))
            #expect(relay.processor.channelRoute(on: alice.fiveTuple, channel: number, now: relay.now)?.peer == Self.peer)
        }
    }

    @Test(arguments: [
        (UInt16(0x4000), STUNErrorCode?.none),
        (0x4FFF, nil),
        (0x5000, .badRequest),
        (0x7FFF, .badRequest),
        (0x3FFF, .badRequest),
    ])
    func acceptsOnlyTheRFC8656RangeWhenConfigured(number: UInt16, code: STUNErrorCode?) throws {
        var (relay, alice) = try Self.allocated { $0.channelNumbers = .rfc8656 }
        let response = try relay.request(&alice, .channelBind, [ChannelNumber(number), XORPeerAddress(Self.peer)])
        if let code {
            try expectError(response, code, signedWith: alice.key)
        } else {
            try expectSuccess(response, signedWith: alice.key)
        }
    }

    /// Sends ChannelBind for `number` and `peer`.
    static func bind(
        _ relay: inout TURNRelayHarness,
        _ alice: inout TURNClientScript,
        _ number: UInt16,
        _ peer: STUNTransportAddress
    ) throws -> STUNMessage {
        try relay.request(&alice, .channelBind, [ChannelNumber(number), XORPeerAddress(peer)])
    }

    @Test func refusesConflictingBindingsAndRefreshesTheSameOne() throws {
        var (relay, alice) = try Self.allocated()
        try expectSuccess(try Self.bind(&relay, &alice, 0x4000, Self.peer), signedWith: alice.key)
        try expectError(try Self.bind(&relay, &alice, 0x4000, Self.otherPeer), .badRequest, signedWith: alice.key)
        try expectError(try Self.bind(&relay, &alice, 0x4001, Self.peer), .badRequest, signedWith: alice.key)
        // The same peer on another port is another transport address: it may take another number.
        let samePeerOtherPort = STUNTransportAddress(address: Self.peer.address, port: 7001)
        try expectSuccess(try Self.bind(&relay, &alice, 0x4002, samePeerOtherPort), signedWith: alice.key)

        relay.advance(by: .seconds(500))
        try expectSuccess(try Self.bind(&relay, &alice, 0x4000, Self.peer), signedWith: alice.key)
        relay.advance(by: .seconds(200))  // 700 s: the first binding alone would have expired
        #expect(relay.processor.channelRoute(on: alice.fiveTuple, channel: 0x4000, now: relay.now)?.peer == Self.peer)
        #expect(relay.processor.channelRoute(on: alice.fiveTuple, channel: 0x4001, now: relay.now)?.peer == nil)
        try expectSuccess(try Self.bind(&relay, &alice, 0x4001, Self.otherPeer), signedWith: alice.key)
    }

    @Test func boundChannelCarriesDataUntilItExpires() throws {
        var (relay, alice) = try Self.allocated()
        try expectSuccess(
            try relay.request(&alice, .channelBind, [ChannelNumber(0x4000), XORPeerAddress(Self.peer)]),
            signedWith: alice.key
        )
        #expect(relay.processor.channelRoute(on: alice.fiveTuple, channel: 0x4000, now: relay.now)?.peer == Self.peer)
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: Self.peer, now: relay.now) == .channel(0x4000))
        // The permission is by IP; the channel by transport address.
        let otherPort = STUNTransportAddress(address: Self.peer.address, port: 9999)
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: otherPort, now: relay.now) == .dataIndication)
        #expect(relay.processor.channelRoute(on: alice.fiveTuple, channel: 0x4001, now: relay.now)?.peer == nil)

        // Keep the permission (300 s) alive past the channel's 600 s with CreatePermission.
        relay.advance(by: .seconds(250))
        try relay.permit(&alice, [Self.peer])
        relay.advance(by: .seconds(250))
        try relay.permit(&alice, [Self.peer])
        relay.advance(by: .seconds(99))  // 599 s
        #expect(relay.processor.channelRoute(on: alice.fiveTuple, channel: 0x4000, now: relay.now)?.peer == Self.peer)
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: Self.peer, now: relay.now) == .channel(0x4000))

        relay.advance(by: .seconds(1))  // 600 s: the binding is gone, the permission is not
        #expect(relay.processor.channelRoute(on: alice.fiveTuple, channel: 0x4000, now: relay.now)?.peer == nil)
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: Self.peer, now: relay.now) == .dataIndication)

        // The number stays reserved for five minutes after expiry (RFC 8656 Section 12).
        try expectError(
            try relay.request(&alice, .channelBind, [ChannelNumber(0x4000), XORPeerAddress(Self.otherPeer)]),
            .badRequest,
            signedWith: alice.key
        )
        relay.advance(by: .seconds(300))
        #expect(relay.processor.expire(now: relay.now) == [])
        try expectSuccess(
            try relay.request(&alice, .channelBind, [ChannelNumber(0x4000), XORPeerAddress(Self.otherPeer)]),
            signedWith: alice.key
        )
    }

    @Test func channelWithoutALivePermissionCarriesNothing() throws {
        var (relay, alice) = try Self.allocated()
        try expectSuccess(
            try relay.request(&alice, .channelBind, [ChannelNumber(0x4000), XORPeerAddress(Self.peer)]),
            signedWith: alice.key
        )
        relay.advance(by: .seconds(300))  // the permission ChannelBind installed has expired
        #expect(relay.processor.channelRoute(on: alice.fiveTuple, channel: 0x4000, now: relay.now)?.peer == nil)
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: Self.peer, now: relay.now) == .drop)
    }

    @Test func channelBindNeedsNumberAndPeer() throws {
        var (relay, alice) = try Self.allocated()
        try expectError(
            try relay.request(&alice, .channelBind, [XORPeerAddress(Self.peer)]),
            .badRequest,
            signedWith: alice.key
        )
        try expectError(
            try relay.request(&alice, .channelBind, [ChannelNumber(0x4000)]),
            .badRequest,
            signedWith: alice.key
        )
    }

    @Test func channelBindToADeniedPeerGets403() throws {
        var (relay, alice) = try Self.allocated()
        let peer = try STUNTransportAddress.peer("10.0.0.1")
        try expectError(
            try relay.request(&alice, .channelBind, [ChannelNumber(0x4000), XORPeerAddress(peer)]),
            .forbidden,
            signedWith: alice.key
        )
        #expect(relay.processor.channelRoute(on: alice.fiveTuple, channel: 0x4000, now: relay.now)?.peer == nil)
    }

    @Test func channelBindToAnIPv6PeerOnAnIPv4AllocationGets443() throws {
        var (relay, alice) = try Self.allocated()
        let peer = try STUNTransportAddress.peer("2606:4700:4700::1111")
        try expectError(
            try relay.request(&alice, .channelBind, [ChannelNumber(0x4000), XORPeerAddress(peer)]),
            .peerAddressFamilyMismatch,
            signedWith: alice.key
        )
    }

    @Test func channelDataOnAnotherFiveTupleGoesNowhere() throws {
        var (relay, alice) = try Self.allocated()
        _ = try relay.request(&alice, .channelBind, [ChannelNumber(0x4000), XORPeerAddress(Self.peer)])
        let stranger = TURNClientScript.bob()
        #expect(relay.processor.channelRoute(on: stranger.fiveTuple, channel: 0x4000, now: relay.now)?.peer == nil)
        #expect(relay.processor.peerDelivery(on: stranger.fiveTuple, from: Self.peer, now: relay.now) == .drop)
    }
}
