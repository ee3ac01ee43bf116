import STUNWire
import TURNCore
import Testing

/// The transport's endpoint lives in the allocation's record, the node's one allocation
/// table: ChannelData finds it with the peer, and every way an allocation ends hands it back.
struct TURNRequestProcessorEndpointTests {
    /// A stand-in for the transport's side of an allocation.
    final class Endpoint: AllocationEndpoint {}

    static let peer = STUNTransportAddress(address: .v4(0x0808_0808), port: 7000)  // 8.8.8.8

    /// Alice allocated with `endpoint`, a permission and channel 0x4000 to ``peer``.
    static func bound(_ endpoint: Endpoint) throws -> (TURNRelayHarness, TURNClientScript) {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        let request = try relay.openRelay(&alice, [RequestedTransport.udp, Lifetime(600)])
        let actions = relay.processor.completeAllocation(request, relayPort: 50_000, reservationToken: nil, endpoint: endpoint, now: relay.now)
        try expectSuccess(TURNRelayHarness.onlyResponse(actions), signedWith: alice.key)
        let bind = try relay.request(&alice, .channelBind, [ChannelNumber(0x4000), XORPeerAddress(Self.peer)])
        try expectSuccess(bind, signedWith: alice.key)
        return (relay, alice)
    }

    @Test func channelDataFindsThePeerAndTheEndpointInOneLookup() throws {
        let endpoint = Endpoint()
        var (relay, alice) = try Self.bound(endpoint)
        let found = relay.processor.channelRoute(on: alice.fiveTuple, channel: 0x4000, now: relay.now)
        let route = try #require(found)
        #expect(route.peer == Self.peer)
        #expect(route.endpoint === endpoint)
        #expect(relay.processor.endpoint(of: alice.fiveTuple) === endpoint)
        #expect(relay.processor.endpoints.count == 1)
        #expect(relay.processor.channelRoute(on: alice.fiveTuple, channel: 0x4001, now: relay.now) == nil)
    }

    @Test func aSendIndicationLeavesThroughTheAllocationsEndpoint() throws {
        let endpoint = Endpoint()
        var (relay, alice) = try Self.bound(endpoint)
        let indication = alice.send([1, 2, 3], to: Self.peer)
        let decision = relay.processor.sendIndication(indication.span, on: alice.fiveTuple, now: relay.now)
        guard case .forward(let peer, let data, let through) = decision else {
            Issue.record("expected the data forwarded, got \(decision)")
            return
        }
        #expect(peer == Self.peer)
        #expect(Array(indication[data]) == [1, 2, 3])
        #expect(through == EndpointReference(endpoint))
    }

    @Test func expiryHandsTheEndpointBack() throws {
        let endpoint = Endpoint()
        var (relay, alice) = try Self.bound(endpoint)
        relay.advance(by: .seconds(601))
        #expect(relay.processor.expire(now: relay.now) == [.closeRelay(alice.fiveTuple, endpoint: EndpointReference(endpoint))])
        #expect(relay.processor.endpoint(of: alice.fiveTuple) == nil)
        #expect(relay.processor.endpoints.isEmpty)
    }

    @Test func refreshToZeroHandsTheEndpointBack() throws {
        let endpoint = Endpoint()
        var (relay, alice) = try Self.bound(endpoint)
        let actions = relay.handle(alice.signed(.refresh, [Lifetime(0)]), from: alice)
        #expect(actions.last == .closeRelay(alice.fiveTuple, endpoint: EndpointReference(endpoint)))
        #expect(relay.processor.endpoint(of: alice.fiveTuple) == nil)
    }

    @Test func removalAndShutdownHandTheEndpointBack() throws {
        let first = Endpoint()
        var (relay, alice) = try Self.bound(first)
        #expect(relay.processor.remove(alice.fiveTuple) == [.closeRelay(alice.fiveTuple, endpoint: EndpointReference(first))])
        let second = Endpoint()
        (relay, alice) = try Self.bound(second)
        #expect(relay.processor.removeAll() == [.closeRelay(alice.fiveTuple, endpoint: EndpointReference(second))])
    }

    @Test func anAbandonedAllocateHandsTheNewEndpointBackAndKeepsTheLiveOne() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        let request = try relay.openRelay(&alice)
        let live = Endpoint()
        _ = relay.processor.completeAllocation(request, relayPort: 50_000, reservationToken: nil, endpoint: live, now: relay.now)
        let late = Endpoint()
        let actions = relay.processor.completeAllocation(request, relayPort: 50_001, reservationToken: nil, endpoint: late, now: relay.now)
        #expect(actions == [.closeRelay(alice.fiveTuple, endpoint: EndpointReference(late))])
        #expect(relay.processor.endpoint(of: alice.fiveTuple) === live)
    }

    @Test func endpointsAreComparedByIdentity() {
        let one = Endpoint()
        #expect(EndpointReference(one) == EndpointReference(one))
        #expect(EndpointReference(one) != EndpointReference(Endpoint()))
    }
}
