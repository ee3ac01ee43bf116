import Testing
import TURNRedis

struct RedisBackoffTests {
    @Test(arguments: [
        (0, Duration.zero), (1, .milliseconds(100)), (2, .milliseconds(200)), (3, .milliseconds(400)),
        (6, .milliseconds(3200)), (7, .seconds(5)), (100, .seconds(5)),
    ])
    func doublesUpToTheCap(failures: Int, expected: Duration) {
        #expect(RedisBackoff().delay(afterFailures: failures, random: 0.5) == expected)
    }

    @Test func jitterStaysWithinBoundsAndNeverExceedsTheCap() {
        let backoff = RedisBackoff(initial: .milliseconds(100), maximum: .seconds(5), jitter: 0.2)
        #expect(backoff.delay(afterFailures: 1, random: 0) == .milliseconds(80))
        #expect(backoff.delay(afterFailures: 1, random: 1) == .milliseconds(120))
        #expect(backoff.delay(afterFailures: 30, random: 1) == .seconds(5))
        for failures in 1...40 {
            let delay = backoff.delay(afterFailures: failures)
            #expect(delay >= .milliseconds(80) && delay <= .seconds(5))
        }
    }
}
