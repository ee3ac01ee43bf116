/// Decides which credential misses are looked up in the store behind the cache, so that a
/// flood of unknown user names does not become a flood of queries.
///
/// A miss looked up is not looked up again for ``retryAfter`` whatever the answer (a negative
/// cache; a user found is in the cache by then). At most ``maximumPerSecond`` lookups start in
/// any second, and at most ``maximumEntries`` misses are remembered: beyond either, the request
/// is answered from the cache alone.
package struct CredentialMissLimiter: Sendable {
    /// How long a looked-up miss is answered from the cache alone.
    package let retryAfter: Duration
    /// The most misses remembered at once.
    package let maximumEntries: Int
    /// The most lookups started in one second.
    package let maximumPerSecond: Int
    private var lookedUp: [CredentialMiss: ContinuousClock.Instant] = [:]
    private var secondStart: ContinuousClock.Instant?
    private var startedThisSecond = 0
    private var prunedAt: ContinuousClock.Instant?

    /// Creates a limiter.
    package init(retryAfter: Duration = .seconds(5), maximumEntries: Int = 10_000, maximumPerSecond: Int = 50) {
        self.retryAfter = retryAfter
        self.maximumEntries = maximumEntries
        self.maximumPerSecond = maximumPerSecond
    }

    /// Whether `miss` is looked up now; when it is, it is remembered until `now + retryAfter`.
    package mutating func admit(_ miss: CredentialMiss, now: ContinuousClock.Instant) -> Bool {
        if let until = self.lookedUp[miss], now < until { return false }
        if let start = self.secondStart, now - start < .seconds(1) {
            guard self.startedThisSecond < self.maximumPerSecond else { return false }
        } else {
            self.secondStart = now
            self.startedThisSecond = 0
        }
        if self.lookedUp.count >= self.maximumEntries {
            // Pruned at most once a second, so a full table costs a flood nothing per request.
            if let pruned = self.prunedAt, now - pruned < .seconds(1) { return false }
            self.prunedAt = now
            self.lookedUp = self.lookedUp.filter { now < $0.value }
            guard self.lookedUp.count < self.maximumEntries else { return false }
        }
        self.lookedUp[miss] = now + self.retryAfter
        self.startedThisSecond += 1
        return true
    }
}
