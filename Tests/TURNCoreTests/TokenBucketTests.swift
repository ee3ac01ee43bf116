import Testing
import TURNCore

struct TokenBucketTests {
    static let start = ContinuousClock.now

    @Test func passesOneSecondOfTrafficThenDrops() {
        var bucket = TokenBucket(bytesPerSecond: 1000, now: Self.start)
        let passed1 = bucket.take(600, now: Self.start)
        #expect(passed1)
        let passed2 = bucket.take(400, now: Self.start)
        #expect(passed2)
        let passed3 = bucket.take(1, now: Self.start)
        #expect(!passed3)
    }

    @Test func refillsAtTheRate() {
        var bucket = TokenBucket(bytesPerSecond: 1000, now: Self.start)
        let passed4 = bucket.take(1000, now: Self.start)
        #expect(passed4)
        let passed5 = bucket.take(200, now: Self.start + .milliseconds(100))
        #expect(!passed5)
        let passed6 = bucket.take(200, now: Self.start + .milliseconds(300))
        #expect(passed6)
    }

    @Test func neverHoldsMoreThanOneSecond() {
        var bucket = TokenBucket(bytesPerSecond: 1000, now: Self.start)
        let later = Self.start + .seconds(3600)
        let passed7 = bucket.take(1000, now: later)
        #expect(passed7)
        let passed8 = bucket.take(1, now: later)
        #expect(!passed8)
    }

    @Test func refusesAPacketLargerThanTheBucket() {
        var bucket = TokenBucket(bytesPerSecond: 100, now: Self.start)
        let passed9 = bucket.take(101, now: Self.start)
        #expect(!passed9)
        let passed10 = bucket.take(100, now: Self.start)
        #expect(passed10)
    }
}

struct TokenBucketLimitTests {
    @Test func clampsAnAbsurdRateInsteadOfOverflowing() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(bytesPerSecond: Int.max, now: start)
        #expect(bucket.bytesPerSecond == TokenBucket.maximumRate)
        let passed = bucket.take(1500, now: start + .seconds(10))
        #expect(passed)
    }
}

struct TokenBucketSpacingTests {
    /// Packets 100 µs apart at 1000 B/s each earn 0.1 byte: the bucket must still refill
    /// over time instead of losing every fraction.
    @Test func refillsWhenPacketsAreCloserThanOneByteOfTime() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(bytesPerSecond: 1000, now: start)
        let emptied = bucket.take(1000, now: start)
        #expect(emptied)
        var passed = 0
        for step in 1...20_000 {
            if bucket.take(100, now: start + .microseconds(100 * step)) { passed += 1 }
        }
        #expect((18...21).contains(passed), "2 s at 1000 B/s pass about 20 packets of 100 B, got \(passed)")
    }
}
