import Foundation
import STUNWire
import TURNAuth
import TURNCore
import Testing

/// What a credential grants and the gateway controls: the expiry policy, revocations, draining,
/// the bandwidth class, and the admin API's view of allocations.
struct TURNRequestProcessorGrantTests {
    private func restClient(_ relay: TURNRelayHarness, grant: CredentialGrant, expiresIn seconds: TimeInterval, port: UInt16 = 42_000) -> TURNClientScript {
        let credential = RESTCredential(grant: grant, expiry: relay.date + seconds, secret: "s1")
        return TURNClientScript(username: credential.username, password: credential.password, port: port)
    }

    @Test(arguments: [
        (CredentialExpiryPolicy.allocate, true),
        (.refresh, false),
        (.strict, false),
    ])
    func refreshAfterExpiryFollowsThePolicy(policy: CredentialExpiryPolicy, accepted: Bool) throws {
        var relay = try TURNRelayHarness { $0.credentialExpiryPolicy = policy }
        var carol = self.restClient(relay, grant: CredentialGrant(user: "carol"), expiresIn: 700)
        _ = try relay.allocate(&carol)
        relay.advance(by: .seconds(550))
        try expectSuccess(try relay.request(&carol, .refresh, [Lifetime(600)]), signedWith: carol.key)
        relay.advance(by: .seconds(200))  // the credential expired 50 s ago
        let response = try relay.request(&carol, .refresh, [Lifetime(600)])
        if accepted {
            try expectSuccess(response, signedWith: carol.key)
        } else {
            #expect(try response.attribute(ErrorCodeAttribute.self)?.code == .unauthorized)
        }
    }

    @Test func strictPolicyEndsTheAllocationWithItsCredential() throws {
        var relay = try TURNRelayHarness { $0.credentialExpiryPolicy = .strict }
        var carol = self.restClient(relay, grant: CredentialGrant(user: "carol"), expiresIn: 300)
        let response = try relay.allocate(&carol)
        #expect(try response.attribute(Lifetime.self)?.rawValue == 300)
        relay.advance(by: .seconds(200))
        let refreshed = try relay.request(&carol, .refresh, [Lifetime(3600)])
        #expect(try refreshed.attribute(Lifetime.self)?.rawValue == 100)
        relay.advance(by: .seconds(100))
        #expect(relay.processor.expire(now: relay.now) == [.closeRelay(carol.fiveTuple)])
    }

    @Test func allocatePolicyLetsTheAllocationOutliveItsCredential() throws {
        var relay = try TURNRelayHarness()
        var carol = self.restClient(relay, grant: CredentialGrant(user: "carol"), expiresIn: 60)
        let response = try relay.allocate(&carol)
        #expect(try response.attribute(Lifetime.self)?.rawValue == 600)
    }

    @Test func aRevokedUserIsRefusedAndItsAllocationsEnd() throws {
        let revocations = RevocationList()
        var relay = try TURNRelayHarness(revocations: revocations)
        var carol = self.restClient(relay, grant: CredentialGrant(user: "carol", room: "r1"), expiresIn: 3600)
        var dave = self.restClient(relay, grant: CredentialGrant(user: "dave", room: "r2"), expiresIn: 3600, port: 43_000)
        _ = try relay.allocate(&carol)
        _ = try relay.allocate(&dave)
        revocations.revoke(Revocation(subject: .room("r1"), until: relay.date + 60), now: relay.date)
        #expect(relay.processor.endRevoked(date: relay.date) == [.closeRelay(carol.fiveTuple)])
        #expect(relay.quotas.count(user: "carol") == 0)
        #expect(relay.quotas.count(user: "dave") == 1)

        var again = self.restClient(relay, grant: CredentialGrant(user: "carol", room: "r1"), expiresIn: 3600, port: 44_000)
        try relay.challenge(&again)
        let refused = try relay.response(to: again.signed(.allocate, [RequestedTransport.udp]), from: again)
        try expectError(refused, .forbidden, signedWith: again.key)

        relay.advance(by: .seconds(61))
        var later = self.restClient(relay, grant: CredentialGrant(user: "carol", room: "r1"), expiresIn: 3600, port: 45_000)
        try expectSuccess(try relay.allocate(&later), signedWith: later.key)
    }

    @Test func roomQuotaCountsEveryUserOfTheRoom() throws {
        var relay = try TURNRelayHarness { $0.roomQuota = 2 }
        var carol = self.restClient(relay, grant: CredentialGrant(user: "carol", room: "blue"), expiresIn: 3600, port: 42_000)
        var dave = self.restClient(relay, grant: CredentialGrant(user: "dave", room: "blue"), expiresIn: 3600, port: 43_000)
        var erin = self.restClient(relay, grant: CredentialGrant(user: "erin", room: "blue"), expiresIn: 3600, port: 44_000)
        var frank = self.restClient(relay, grant: CredentialGrant(user: "frank", room: "green"), expiresIn: 3600, port: 45_000)
        _ = try relay.allocate(&carol)
        _ = try relay.allocate(&dave, relayPort: 50_002)
        try relay.challenge(&erin)
        let refused = try relay.response(to: erin.signed(.allocate, [RequestedTransport.udp]), from: erin)
        try expectError(refused, .allocationQuotaReached, signedWith: erin.key)
        try expectSuccess(try relay.allocate(&frank, relayPort: 50_004), signedWith: frank.key)
        #expect(relay.quotas.count(room: "blue") == 2)
        #expect(relay.handle(carol.signed(.refresh, [Lifetime(0)]), from: carol).last == .closeRelay(carol.fiveTuple))
        #expect(relay.quotas.count(room: "blue") == 1)
        try expectSuccess(try relay.allocate(&erin, relayPort: 50_006), signedWith: erin.key)
    }

    @Test func aDrainingNodeRefusesNewAllocationsOnly() throws {
        let drain = DrainSwitch()
        var relay = try TURNRelayHarness(drain: drain)
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        drain.start()
        var bob = TURNClientScript.bob()
        try relay.challenge(&bob)
        let refused = try relay.response(to: bob.signed(.allocate, [RequestedTransport.udp]), from: bob)
        try expectError(refused, .insufficientCapacity, signedWith: bob.key)
        #expect(relay.quotas.count(user: "bob") == 0)
        try expectSuccess(try relay.request(&alice, .refresh, [Lifetime(600)]), signedWith: alice.key)
    }

    @Test func aDrainingNodeWithAnAlternateSendsClientsThere() throws {
        let drain = DrainSwitch()
        let alternate = STUNTransportAddress(address: .v4(0xC000_0214), port: 3479)
        var relay = try TURNRelayHarness(drain: drain) { $0.alternateServers = [alternate] }
        drain.start()
        var bob = TURNClientScript.bob()
        try relay.challenge(&bob)
        let refused = try relay.response(to: bob.signed(.allocate, [RequestedTransport.udp]), from: bob)
        try expectError(refused, .tryAlternate, signedWith: bob.key)
        #expect(try refused.attribute(AlternateServer.self)?.address == alternate)
    }

    @Test(arguments: [
        (Int?.none, Int?.none, Int?.none),
        (nil, 100, 12_500),
        (50_000, 1000, 50_000),
        (10_000, 1000, 10_000),
        (10_000, nil, 10_000),
    ])
    func theBandwidthClassCapsTheAllocation(maxBPS: Int?, classKbps: Int?, expected: Int?) throws {
        var relay = try TURNRelayHarness { $0.allocationBandwidth = maxBPS }
        var carol = self.restClient(relay, grant: CredentialGrant(user: "carol", bandwidthKbps: classKbps), expiresIn: 3600)
        let request = try relay.openRelay(&carol)
        #expect(request.bandwidth == expected)
    }

    @Test func summariesShowTheGrantAndEndSelects() throws {
        var relay = try TURNRelayHarness()
        var carol = self.restClient(relay, grant: CredentialGrant(user: "carol", room: "r1", bandwidthKbps: 100), expiresIn: 3600)
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&carol)
        _ = try relay.allocate(&alice, relayPort: 50_002)
        relay.advance(by: .seconds(100))
        let summaries = relay.processor.summaries(now: relay.now).sorted { $0.grant.user < $1.grant.user }
        #expect(summaries.map(\.grant.user) == ["alice", "carol"])
        #expect(summaries[1].grant.room == "r1")
        #expect(summaries[1].bandwidthBytesPerSecond == 12_500)
        #expect(summaries[1].remaining == .seconds(500))
        #expect(relay.processor.end { _, grant in grant.room == "r1" } == [.closeRelay(carol.fiveTuple)])
        #expect(relay.processor.allocationCount == 1)
    }
}
