import Histogram

/// What one worker saw on one leg (client→peer or peer→client).
struct LegStats: Sendable {
    /// Datagrams the kernel accepted for sending.
    var sent = 0
    /// Datagrams the kernel refused (send buffer full); not counted as sent.
    var refused = 0
    /// Bench datagrams received at the far end.
    var received = 0
    /// Datagrams received that were not the bench's data (wrong framing or header).
    var foreign = 0
    /// One-way latency in nanoseconds.
    var latency = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000,
                                    numberOfSignificantValueDigits: .three)

    /// Adds another worker's figures to these.
    mutating func merge(_ other: LegStats) {
        self.sent += other.sent
        self.refused += other.refused
        self.received += other.received
        self.foreign += other.foreign
        self.latency.add(other.latency)
    }
}
