/// A token bucket that limits a byte rate: each packet takes its size in tokens, tokens refill
/// at the rate, and at most one second's worth accumulates.
///
/// Enforces coturn's `max-bps` (per allocation and direction) and `bps-capacity` (per server
/// and direction). Allocation-free and clock-injected, so it runs per packet on the data path
/// and is tested with scripted time.
public struct TokenBucket: Sendable {
    /// The rate in bytes per second.
    public let bytesPerSecond: Int64
    private var tokens: Int64
    private var last: ContinuousClock.Instant

    /// The highest rate a bucket takes (1 TB/s): far above any link, and small enough that the
    /// token arithmetic never overflows.
    public static let maximumRate: Int64 = 1 << 40

    /// Creates a full bucket.
    ///
    /// - Parameters:
    ///   - bytesPerSecond: the rate, clamped to 1...``maximumRate``.
    ///   - now: the current time.
    public init(bytesPerSecond: Int, now: ContinuousClock.Instant) {
        self.bytesPerSecond = min(max(1, Int64(bytesPerSecond)), Self.maximumRate)
        self.tokens = self.bytesPerSecond
        self.last = now
    }

    /// Takes `bytes` tokens if there are enough; returns whether the packet may pass.
    public mutating func take(_ bytes: Int, now: ContinuousClock.Instant) -> Bool {
        let elapsed = now - self.last
        if elapsed > .zero {
            let (seconds, attoseconds) = elapsed.components
            let refill = seconds >= 1
                ? self.bytesPerSecond
                : Int64(Double(self.bytesPerSecond) * Double(attoseconds / 1_000_000_000) / 1e9)
            if refill > 0 {
                // Time that turned into no whole token is kept for the next packet, so packets
                // closer together than one byte's worth of time still refill the bucket.
                self.last = now
                self.tokens = min(self.bytesPerSecond, self.tokens + refill)
            }
        }
        let cost = Int64(bytes)
        guard self.tokens >= cost else { return false }
        self.tokens -= cost
        return true
    }
}
