import Testing
import TURNLogging

/// One line per interval and key, with the count of the events left out.
struct LogSamplerTests {
    @Test
    func admitsOneEventPerIntervalPerKeyAndCountsTheRest() {
        let sampler = LogSampler<String>(interval: .seconds(1))
        let start = ContinuousClock.now
        #expect(sampler.admit("bad_integrity", now: start) == 0)
        for step in 1...999 {
            #expect(sampler.admit("bad_integrity", now: start + .milliseconds(step)) == nil)
        }
        #expect(sampler.admit("stale_nonce", now: start + .milliseconds(500)) == 0)
        #expect(sampler.admit("bad_integrity", now: start + .seconds(1)) == 999)
        #expect(sampler.admit("bad_integrity", now: start + .milliseconds(1500)) == nil)
        #expect(sampler.admit("bad_integrity", now: start + .seconds(5)) == 1)
        #expect(sampler.admit("stale_nonce", now: start + .seconds(5)) == 0)
    }

    @Test
    func isSharedSafelyByManyThreads() async {
        let sampler = LogSampler<Int>(interval: .seconds(3600))
        let now = ContinuousClock.now
        let admitted = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<1000).reduce(0) { count, _ in count + (sampler.admit(1, now: now) == nil ? 0 : 1) } }
            }
            return await group.reduce(0, +)
        }
        #expect(admitted == 1)
        #expect(sampler.admit(1, now: now + .seconds(3600)) == 7999)
    }
}
