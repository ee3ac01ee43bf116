import STUNWire
import Testing
import TURNCore

/// The per-source limit on 401 and 438 challenges: the server answers a forged flood with at
/// most its burst and then its rate.
struct ChallengeLimiterTests {
    static let start = ContinuousClock.now
    static let source = IPAddress.v4(0xC633_6401)

    @Test func allowsTheBurstThenTheRate() {
        var limiter = ChallengeLimiter(seed: 1)
        let allowed = (0..<100).filter { _ in limiter.allows(Self.source, rate: 20, burst: 40, now: Self.start) }.count
        #expect(allowed == 40)
        let overBurst = limiter.allows(Self.source, rate: 20, burst: 40, now: Self.start)
        #expect(!overBurst)
        let later = (0..<100).filter { _ in limiter.allows(Self.source, rate: 20, burst: 40, now: Self.start + .seconds(1)) }.count
        #expect(later == 20)
    }

    @Test func countsTheBucketsOfSourcesChallengedRecently() {
        var limiter = ChallengeLimiter(seed: 3)
        #expect(limiter.occupiedSlots(rate: 10, burst: 20, now: Self.start) == 0)
        for _ in 0..<3 { _ = limiter.allows(Self.source, rate: 10, burst: 20, now: Self.start) }
        _ = limiter.allows(.v4(0xC633_6402), rate: 10, burst: 20, now: Self.start)
        #expect(limiter.occupiedSlots(rate: 10, burst: 20, now: Self.start) == 2)
        // A second refills 10 tokens: the source that took one is full again, the other not.
        #expect(limiter.occupiedSlots(rate: 10, burst: 20, now: Self.start + .milliseconds(150)) == 1)
        #expect(limiter.occupiedSlots(rate: 10, burst: 20, now: Self.start + .seconds(1)) == 0)
        #expect(limiter.occupiedSlots(rate: 0, burst: 20, now: Self.start) == 0)
    }

    @Test func sourcesHaveTheirOwnBuckets() {
        var limiter = ChallengeLimiter(seed: 2)
        for _ in 0..<5 { _ = limiter.allows(Self.source, rate: 1, burst: 2, now: Self.start) }
        let drained = limiter.allows(Self.source, rate: 1, burst: 2, now: Self.start)
        let other = limiter.allows(.v4(0xC633_6402), rate: 1, burst: 2, now: Self.start)
        #expect(!drained)
        #expect(other)
    }

    @Test func anIPv6SourceIsCountedPerSlash64() throws {
        var limiter = ChallengeLimiter(seed: 3)
        let first = limiter.allows(try IPAddress(parsing: "2001:db8:1:2::1"), rate: 1, burst: 1, now: Self.start)
        let sameSlash64 = limiter.allows(try IPAddress(parsing: "2001:db8:1:2::ffff"), rate: 1, burst: 1, now: Self.start)
        let otherSlash64 = limiter.allows(try IPAddress(parsing: "2001:db8:1:3::1"), rate: 1, burst: 1, now: Self.start)
        #expect(first)
        #expect(!sameSlash64)
        #expect(otherSlash64)
    }

    @Test func rateZeroMeansNoLimit() {
        var limiter = ChallengeLimiter(seed: 4)
        let allowed = (0..<1000).filter { _ in limiter.allows(Self.source, rate: 0, burst: 0, now: Self.start) }.count
        #expect(allowed == 1000)
    }

    @Test func aFloodOfForgedSourcesNeverRefillsABusyBucket() {
        var limiter = ChallengeLimiter(seed: 5)
        for _ in 0..<3 { _ = limiter.allows(Self.source, rate: 1, burst: 3, now: Self.start) }
        for index in 0..<UInt32(50_000) {
            _ = limiter.allows(.v4(0x0A00_0000 | index), rate: 1, burst: 3, now: Self.start)
        }
        let refilled = limiter.allows(Self.source, rate: 1, burst: 3, now: Self.start)
        #expect(!refilled)
    }

    @Test func theProcessorDropsChallengesPastTheLimitAndCountsThem() throws {
        var relay = try TURNRelayHarness {
            $0.challengeRate = 5
            $0.challengeBurst = 10
        }
        var mallory = TURNClientScript(username: "mallory", password: "x", port: 5000, address: Self.source)
        var answered = 0
        var dropped = 0
        for _ in 0..<50 {
            let actions = relay.handle(mallory.unauthenticated(.allocate, [RequestedTransport.udp]), from: mallory)
            if actions == [.ignore(.challengeLimited)] { dropped += 1 } else if actions.first?.summary?.errorCode == .unauthorized { answered += 1 }
        }
        #expect(answered == 10)
        #expect(dropped == 40)
        // Another source is still answered, and this one again a second later.
        var alice = TURNClientScript.alice()
        try relay.challenge(&alice)
        relay.advance(by: .seconds(1))
        let again = relay.handle(mallory.unauthenticated(.allocate, [RequestedTransport.udp]), from: mallory)
        #expect(again.first?.summary?.errorCode == .unauthorized)
    }

    @Test func theDefaultsLeaveARealClientAlone() throws {
        #expect(RelayConfiguration().challengeRate == 20)
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        var second = TURNClientScript.alice(port: 40_001)
        _ = try relay.allocate(&second)
    }
}
