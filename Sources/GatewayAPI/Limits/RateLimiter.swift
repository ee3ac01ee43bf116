import Foundation
import Synchronization

/// A per-key request rate limit by the generic cell rate algorithm (GCRA): `count` requests per
/// window, with bursts of up to `count`.
///
/// Each key keeps one instant, its theoretical arrival time; a key whose instant has passed is
/// idle and is the same as an absent key. When the table is full, idle keys are dropped and,
/// if that is not enough, the eighth of the keys closest to idle: one O(n log n) pass makes
/// room for many new keys, so memory stays bounded by `capacity` and the cost per new key stays
/// small whatever the number of clients.
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

    /// The request counts `GatewayValidation` accepts.
    static let countRange = 1...1_000_000
    /// The windows `GatewayValidation` accepts, in seconds: up to a day.
    static let windowSecondsRange = 1...86_400

    /// The settings this limiter was made with.
    let rate: RateLimit
    private let limit: Int
    private let windowNanoseconds: Int64
    private let intervalNanoseconds: Int64
    private let capacity: Int
    private let table = Mutex([String: Int64]())

    /// Creates a limiter of `rate`, tracking at most `capacity` keys.
    ///
    /// Values outside ``countRange`` and ``windowSecondsRange`` are clamped into them, so no
    /// setting can make the arithmetic divide by zero or overflow.
    init(_ rate: RateLimit, capacity: Int = 65_536) {
        self.rate = rate
        let count = min(max(rate.count, Self.countRange.lowerBound), Self.countRange.upperBound)
        let window = min(max(rate.windowSeconds, Self.windowSecondsRange.lowerBound), Self.windowSecondsRange.upperBound)
        self.limit = count
        self.windowNanoseconds = Int64(window) * 1_000_000_000
        self.intervalNanoseconds = max(1, self.windowNanoseconds / Int64(count))
        self.capacity = max(8, capacity)
    }

    /// Counts one request of `key` at `now`.
    func acquire(_ key: String, now: Date) -> Decision {
        let nowNanoseconds = Self.nanoseconds(now)
        return self.table.withLock { table in
            let arrival = max(table[key] ?? nowNanoseconds, nowNanoseconds)
            let next = arrival + self.intervalNanoseconds
            if next - nowNanoseconds > self.windowNanoseconds {
                return self.refusal(arrival: arrival, next: next, now: nowNanoseconds)
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

    /// What ``acquire(_:now:)`` would answer for `key` at `now`, without counting a request.
    func peek(_ key: String, now: Date) -> Decision {
        let nowNanoseconds = Self.nanoseconds(now)
        return self.table.withLock { table in
            let arrival = max(table[key] ?? nowNanoseconds, nowNanoseconds)
            let next = arrival + self.intervalNanoseconds
            if next - nowNanoseconds > self.windowNanoseconds {
                return self.refusal(arrival: arrival, next: next, now: nowNanoseconds)
            }
            let remaining = (self.windowNanoseconds - (arrival - nowNanoseconds)) / self.intervalNanoseconds
            return Decision(
                allowed: true, limit: self.limit, remaining: Int(remaining),
                resetSeconds: Self.seconds(arrival - nowNanoseconds), retryAfterSeconds: nil)
        }
    }

    /// The number of keys tracked.
    var count: Int { self.table.withLock { $0.count } }

    private func refusal(arrival: Int64, next: Int64, now: Int64) -> Decision {
        Decision(
            allowed: false, limit: self.limit, remaining: 0, resetSeconds: Self.seconds(arrival - now),
            retryAfterSeconds: max(1, Self.seconds(next - self.windowNanoseconds - now)))
    }

    private func makeRoom(_ table: inout [String: Int64], now: Int64) {
        table = table.filter { $0.value > now }
        let target = self.capacity - self.capacity / 8
        guard table.count > target else { return }
        let evicted = table.sorted { $0.value < $1.value }.prefix(table.count - target)
        for (key, _) in evicted { table.removeValue(forKey: key) }
    }

    /// `date` in nanoseconds since 1970, clamped to ±2^61 so that adding a window or interval
    /// cannot overflow; a non-finite time counts as 0.
    static func nanoseconds(_ date: Date) -> Int64 {
        let bound = Double(Int64(1) << 61)
        let value = date.timeIntervalSince1970 * 1_000_000_000
        guard value.isFinite else { return 0 }
        return Int64(min(max(value, -bound), bound).rounded(.down))
    }

    private static func seconds(_ nanoseconds: Int64) -> Int {
        Int((nanoseconds + 999_999_999) / 1_000_000_000)
    }
}
