import Foundation
import Synchronization

/// A per-key request rate limit over a sliding window: at most `count` requests in any
/// `window` seconds (`api-rate-limit 50/60`: the 51st request within a minute is refused, and
/// refused until the first of the 50 is a minute old).
///
/// Each key keeps the times of its requests in the window, at most `count` of them. A key
/// whose last request left the window is idle and is the same as an absent key. When the table
/// is full, idle keys are dropped and, if that is not enough, the eighth of the keys idle the
/// longest: one pass makes room for many new keys. Memory stays bounded: the number of keys
/// times `count` is kept under ``maximumTimestamps``.
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
    /// The most request times kept over all keys.
    static let maximumTimestamps = 4_000_000

    /// The settings this limiter was made with.
    let rate: RateLimit
    private let limit: Int
    private let windowNanoseconds: Int64
    private let capacity: Int
    private let table = Mutex([String: [Int64]]())

    /// Creates a limiter of `rate`, tracking at most `capacity` keys (fewer when `count` is so
    /// large that their request times would pass ``maximumTimestamps``).
    ///
    /// Values outside ``countRange`` and ``windowSecondsRange`` are clamped into them, so no
    /// setting can make the arithmetic overflow.
    init(_ rate: RateLimit, capacity: Int = 65_536) {
        self.rate = rate
        let count = min(max(rate.count, Self.countRange.lowerBound), Self.countRange.upperBound)
        let window = min(max(rate.windowSeconds, Self.windowSecondsRange.lowerBound), Self.windowSecondsRange.upperBound)
        self.limit = count
        self.windowNanoseconds = Int64(window) * 1_000_000_000
        self.capacity = max(8, min(capacity, Self.maximumTimestamps / count))
    }

    /// Counts one request of `key` at `now`, unless it is refused.
    func acquire(_ key: String, now: Date) -> Decision {
        let nowNanoseconds = Self.nanoseconds(now)
        return self.table.withLock { table in
            var times = self.live(table[key] ?? [], now: nowNanoseconds)
            guard times.count < self.limit else {
                table[key] = times
                return self.refusal(times, now: nowNanoseconds)
            }
            if table[key] == nil, table.count >= self.capacity {
                self.makeRoom(&table, now: nowNanoseconds)
            }
            times.append(nowNanoseconds)
            table[key] = times
            return self.allowance(times, now: nowNanoseconds)
        }
    }

    /// What ``acquire(_:now:)`` would answer for `key` at `now`, without counting a request.
    func peek(_ key: String, now: Date) -> Decision {
        let nowNanoseconds = Self.nanoseconds(now)
        return self.table.withLock { table in
            let times = self.live(table[key] ?? [], now: nowNanoseconds)
            return times.count < self.limit ? self.allowance(times, now: nowNanoseconds) : self.refusal(times, now: nowNanoseconds)
        }
    }

    /// The number of keys tracked.
    var count: Int { self.table.withLock { $0.count } }

    /// The request times still in the window at `now`.
    private func live(_ times: [Int64], now: Int64) -> [Int64] {
        guard let first = times.firstIndex(where: { $0 > now - self.windowNanoseconds }) else { return [] }
        return first == 0 ? times : Array(times[first...])
    }

    private func allowance(_ times: [Int64], now: Int64) -> Decision {
        let reset = times.last.map { $0 + self.windowNanoseconds - now } ?? 0
        return Decision(
            allowed: true, limit: self.limit, remaining: self.limit - times.count, resetSeconds: Self.seconds(reset),
            retryAfterSeconds: nil)
    }

    private func refusal(_ times: [Int64], now: Int64) -> Decision {
        let oldestLeaves = (times.first ?? now) + self.windowNanoseconds - now
        let allLeave = (times.last ?? now) + self.windowNanoseconds - now
        return Decision(
            allowed: false, limit: self.limit, remaining: 0, resetSeconds: Self.seconds(allLeave),
            retryAfterSeconds: max(1, Self.seconds(oldestLeaves)))
    }

    private func makeRoom(_ table: inout [String: [Int64]], now: Int64) {
        table = table.filter { ($0.value.last ?? now - self.windowNanoseconds) > now - self.windowNanoseconds }
        let target = self.capacity - self.capacity / 8
        guard table.count > target else { return }
        let evicted = table.sorted { ($0.value.last ?? 0) < ($1.value.last ?? 0) }.prefix(table.count - target)
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
