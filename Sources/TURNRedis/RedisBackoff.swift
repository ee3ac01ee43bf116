/// Exponential reconnect backoff with jitter: 100 ms doubling up to 5 s by default.
///
/// The delay after the n-th consecutive failure is `initial * 2^(n-1)`, capped at ``maximum``,
/// then scaled by a random factor in `1 ± jitter` and capped at ``maximum`` again, so a fleet of
/// relays that lose Redis together does not reconnect in lockstep. (The "full jitter" and
/// "equal jitter" variants are discussed in the AWS Architecture Blog, "Exponential Backoff And
/// Jitter", 2015.) Pure: the random draw is a parameter, so tests pin it.
public struct RedisBackoff: Sendable, Hashable {
    /// Delay after the first failure.
    public var initial: Duration
    /// Largest delay.
    public var maximum: Duration
    /// Relative spread in `0...1`: 0.2 means the delay varies by ±20 %.
    public var jitter: Double

    /// Creates a backoff policy.
    ///
    /// - Parameters:
    ///   - initial: First delay; 100 ms by default.
    ///   - maximum: Cap; 5 s by default.
    ///   - jitter: Relative spread, clamped to `0...1`; 0.2 by default.
    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(5), jitter: Double = 0.2) {
        self.initial = initial
        self.maximum = max(maximum, initial)
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The delay before the next attempt after `failures` consecutive failures.
    ///
    /// - Parameters:
    ///   - failures: Consecutive failures so far; 0 or less means no delay.
    ///   - random: A draw in `0..<1`; 0.5 gives the unjittered delay.
    /// - Returns: The delay, between zero and ``maximum``.
    public func delay(afterFailures failures: Int, random: Double) -> Duration {
        guard failures > 0 else { return .zero }
        let initial = Self.nanoseconds(self.initial)
        let maximum = Self.nanoseconds(self.maximum)
        let doublings = Double(min(failures - 1, 62))
        let base = min(initial * Self.power(doublings), maximum)
        let factor = 1 - self.jitter + 2 * self.jitter * min(max(random, 0), 1)
        let jittered = min(max(base * factor, 0), maximum)
        return .nanoseconds(Int64(jittered))
    }

    /// The delay before the next attempt, with a fresh random draw.
    ///
    /// - Parameter failures: Consecutive failures so far.
    /// - Returns: The delay.
    public func delay(afterFailures failures: Int) -> Duration {
        self.delay(afterFailures: failures, random: Double.random(in: 0..<1))
    }

    private static func nanoseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1e9 + Double(attoseconds) / 1e9
    }

    private static func power(_ exponent: Double) -> Double {
        var result = 1.0
        var remaining = Int(exponent)
        while remaining > 0 && result < 1e18 {
            result *= 2
            remaining -= 1
        }
        return result
    }
}
