/// A socket's message budget (`signal-message-rate`): a token bucket refilled at `rate` a
/// second, holding at most twice that, so a burst of trickled ICE candidates passes.
struct SignalMessageBudget: Sendable {
    private var tokens: Double
    private var last: ContinuousClock.Instant

    init(rate: Int, now: ContinuousClock.Instant) {
        self.tokens = Double(rate * 2)
        self.last = now
    }

    /// Spends one token at `now` with the rate in force; false when none is left.
    mutating func spend(rate: Int, now: ContinuousClock.Instant) -> Bool {
        let elapsed = now - self.last
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        self.last = now
        self.tokens = min(Double(rate * 2), self.tokens + seconds * Double(rate))
        guard self.tokens >= 1 else { return false }
        self.tokens -= 1
        return true
    }
}
