public import STUNWire
public import IPAddressing

/// A per-source limit on the challenges (401 and 438) the relay sends to requests it could not
/// authenticate, so that it is a poor reflector.
///
/// An unauthenticated request of 20 bytes draws a 401 of about 100 bytes with REALM and a fresh
/// NONCE (RFC 8489 Section 9.2.4); over UDP the source address can be forged, so without a
/// limit anyone can point the server's answers at a victim. Each source (an IPv4 address, or
/// the /64 of an IPv6 address, what one host or site holds) has a token bucket that refills at
/// `rate` per second up to `burst`; a challenge takes one token, and with none left the request
/// is dropped silently and counted. A real client is challenged a handful of times per
/// allocation (its first Allocate, and a 438 when a nonce goes stale), far below the default.
///
/// The buckets live in a fixed table of ``slotCount`` slots indexed by a seeded hash of the
/// source, so memory stays bounded whatever the number of sources: a slot whose bucket is full
/// again (its source has been quiet) goes to the next source that hashes to it; while it is not
/// full, sources that collide on it share its bucket, so no flood of forged sources refills
/// the bucket of the address under attack. Owned by one processor (one event loop): no lock.
public struct ChallengeLimiter: Sendable {
    /// The number of buckets.
    public static let slotCount = 4096

    private struct Slot: Sendable {
        var source: IPAddress
        var tokens: Double
        var last: ContinuousClock.Instant
    }

    private var slots: [Slot?] = []
    private let seed: Int

    /// Creates an empty limiter; `seed` keys the hash (a random one by default, so a remote
    /// party cannot aim collisions at a chosen bucket).
    public init(seed: Int = Int.random(in: .min ... .max)) {
        self.seed = seed
    }

    /// Takes a token for a challenge to `source` at `now`; false when its bucket is empty.
    ///
    /// - Parameters:
    ///   - source: the request's source address.
    ///   - rate: the challenges per second a source is given; 0 means no limit.
    ///   - burst: how many may go out at once (at least 1).
    ///   - now: the monotonic time.
    public mutating func allows(_ source: IPAddress, rate: Int, burst: Int, now: ContinuousClock.Instant) -> Bool {
        guard rate > 0 else { return true }
        if self.slots.isEmpty {
            self.slots = Array(repeating: nil, count: Self.slotCount)
        }
        let key = Self.key(source)
        var hasher = Hasher()
        hasher.combine(self.seed)
        hasher.combine(key)
        let index = Int(UInt(bitPattern: hasher.finalize()) % UInt(Self.slotCount))
        let capacity = Double(max(1, burst))
        guard var slot = self.slots[index] else {
            self.slots[index] = Slot(source: key, tokens: capacity - 1, last: now)
            return true
        }
        let elapsed = now - slot.last
        if elapsed > .zero {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            slot.tokens = min(capacity, slot.tokens + seconds * Double(rate))
            slot.last = now
        }
        if slot.source != key, slot.tokens >= capacity {
            slot.source = key
        }
        guard slot.tokens >= 1 else {
            self.slots[index] = slot
            return false
        }
        slot.tokens -= 1
        self.slots[index] = slot
        return true
    }

    /// How many buckets hold a source that is not full again at `now` (challenged recently):
    /// coturn's `turn_ratelimit_occupied_buckets`.
    public func occupiedSlots(rate: Int, burst: Int, now: ContinuousClock.Instant) -> Int {
        guard rate > 0 else { return 0 }
        let capacity = Double(max(1, burst))
        var occupied = 0
        for case let slot? in self.slots {
            let elapsed = now - slot.last
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if slot.tokens + max(0, seconds) * Double(rate) < capacity { occupied += 1 }
        }
        return occupied
    }

    /// What a source is counted as: an IPv4 address (IPv4-mapped ones as IPv4), or an IPv6 /64.
    private static func key(_ source: IPAddress) -> IPAddress {
        switch source.unmapped {
        case .v4(let value): .v4(value)
        case .v6(let high, _): .v6(high: high, low: 0)
        }
    }
}
