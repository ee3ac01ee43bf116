import Foundation
import Synchronization

/// A per-key request rate limit by the generic cell rate algorithm (GCRA): `count` requests per
/// window, with bursts of up to `count`.
///
/// Each key keeps one instant, its theoretical arrival time; a key whose instant has passed is
/// idle and is the same as an absent key, so idle keys are dropped whenever the table is full.
/// When it is still full, the key closest to idle is dropped: memory stays bounded by
/// `capacity` whatever the number of clients.
final class RateLimiter: Sendable {
    /// What one request was told.
    struct Decision: Sendable, Hashable {
        /// Whether the request may proceed.
        var allowed: Bool
        /// Requests per window (`RateLimit-Limit`).
        var limit: Int
        /// Requests left now (`RateLimit-Remaining`).
        var remaining: Int
        /// Seconds until the full quota is back (`RateLimit-Reset`).
        var resetSeconds: Int
        /// Seconds to wait before retrying (`Retry-After`), when refused.
        var retryAfterSeconds: Int?
    }

    private let limit: Int
    private let windowNanoseconds: Int64
    private let intervalNanoseconds: Int64
    private let capacity: Int
    private let table = Mutex([String: Int64]())

    /// Creates a limiter of `count` requests per `windowSeconds`, tracking at most `capacity` keys.
    init(count: Int, windowSeconds: Int, capacity: Int = 65_536) {
        precondition(count > 0 && windowSeconds > 0 && capacity > 0, "rate limit settings are validated by the gateway")
        self.limit = count
        self.windowNanoseconds = Int64(windowSeconds) * 1_000_000_000
        self.intervalNanoseconds = self.windowNanoseconds / Int64(count)
        self.capacity = capacity
    }

    /// Counts one request of `key` at `now`.
    func acquire(_ key: String, now: Date) -> Decision {
        let nowNanoseconds = Int64((now.timeIntervalSince1970 * 1_000_000_000).rounded(.down))
        return self.table.withLock { table in
            let arrival = max(table[key] ?? nowNanoseconds, nowNanoseconds)
            let next = arrival + self.intervalNanoseconds
            if next - nowNanoseconds > self.windowNanoseconds {
                return Decision(
                    allowed: false, limit: self.limit, remaining: 0,
                    resetSeconds: Self.seconds(arrival - nowNanoseconds),
                    retryAfterSeconds: max(1, Self.seconds(next - self.windowNanoseconds - nowNanoseconds)))
            }
            if table[key] == nil, table.count >= self.capacity {
                self.makeRoom(&table, now: nowNanoseconds)
            }
            table[key] = next
            let remaining = (self.windowNanoseconds - (next - nowNanoseconds)) / self.intervalNanoseconds
            return Decision(
                allowed: true, limit: self.limit, remaining: Int(remaining),
                resetSeconds: Self.seconds(next - nowNanoseconds), retryAfterSeconds: nil)
        }
    }

    private func makeRoom(_ table: inout [String: Int64], now: Int64) {
        table = table.filter { $0.value > now }
        if table.count >= self.capacity, let closest = table.min(by: { $0.value < $1.value }) {
            table.removeValue(forKey: closest.key)
        }
    }

    private static func seconds(_ nanoseconds: Int64) -> Int {
        Int((nanoseconds + 999_999_999) / 1_000_000_000)
    }
}
