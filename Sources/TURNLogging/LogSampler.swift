import Synchronization

/// At most one log line per interval for each key, with the number of events left out since
/// the previous line.
///
/// For events a client can repeat without limit: refused requests, refused connections,
/// rate-limited HTTP requests. The first event of a key in an interval is logged, with the
/// count of the events of that key left out before it; the rest are only counted here, and
/// metrics should still count every one. Keys come from a bounded set (an enumeration, a
/// reason label), never from request data: the sampler keeps one entry per key. Shared by the
/// event loops of a process, so the interval holds across loops.
package final class LogSampler<Key: Hashable & Sendable>: Sendable {
    /// The least time between two lines of one key.
    package let interval: Duration
    private let entries: Mutex<[Key: Entry]>

    private struct Entry {
        var last: ContinuousClock.Instant
        var suppressed: Int
    }

    /// Creates a sampler that admits one event per `interval` for each key.
    package init(interval: Duration = .seconds(1)) {
        self.interval = interval
        self.entries = Mutex([:])
    }

    /// Decides whether an event of `key` at `now` gets a log line.
    ///
    /// - Returns: the number of events of `key` left out since the previous line, or nil when
    ///   this one is left out too (and counted).
    package func admit(_ key: Key, now: ContinuousClock.Instant) -> Int? {
        self.entries.withLock { entries in
            if var entry = entries[key], now - entry.last < self.interval {
                entry.suppressed += 1
                entries[key] = entry
                return nil
            }
            let suppressed = entries[key]?.suppressed ?? 0
            entries[key] = Entry(last: now, suppressed: 0)
            return suppressed
        }
    }
}
