import Synchronization

/// The ports EVEN-PORT's R bit reserved, as the quota sees them, shared by every event loop.
///
/// RFC 8656 Section 7.2: an Allocate with EVEN-PORT and the R bit also reserves the next port
/// for about 30 seconds, for a later Allocate that names it with RESERVATION-TOKEN (possibly on
/// another event loop). A reserved port is a bound socket, so it holds one slot of its user's
/// `user-quota` (and of `total-quota`), like an allocation, until it is claimed, lapses after
/// ``lifetime``, or the allocation that reserved it is deleted: a client cannot hold ports
/// beyond its quota by reserving them and deleting the allocations. Control path only.
public final class ReservationLedger: Sendable {
    /// How long a reservation waits for its claim (RFC 8656 Section 7.2: "about 30 seconds").
    public static let lifetime: Duration = .seconds(30)

    /// One reservation: whose quota slot it holds, and until when.
    struct Entry: Hashable, Sendable {
        var user: String
        var room: String?
        var expiresAt: ContinuousClock.Instant
    }

    private let entries = Mutex<[[UInt8]: Entry]>([:])

    /// Creates an empty ledger.
    public init() {}

    /// The number of live reservations.
    public var count: Int { self.entries.withLock { $0.count } }

    /// Records the reservation named by `token`.
    func add(_ token: [UInt8], _ entry: Entry) {
        self.entries.withLock { $0[token] = entry }
    }

    /// Forgets the reservation named by `token`; the caller returns its quota slot.
    func remove(_ token: [UInt8]) -> Entry? {
        self.entries.withLock { $0.removeValue(forKey: token) }
    }

    /// Forgets the reservation named by `token` if it is still live at `now`; the caller
    /// returns its quota slot (a lapsed one is left for ``removeExpired(now:)``).
    func claim(_ token: [UInt8], now: ContinuousClock.Instant) -> Entry? {
        self.entries.withLock { entries in
            guard let entry = entries[token], now < entry.expiresAt else { return nil }
            entries[token] = nil
            return entry
        }
    }

    /// Forgets every reservation that lapsed by `now`; the caller returns their quota slots.
    func removeExpired(now: ContinuousClock.Instant) -> [Entry] {
        self.entries.withLock { entries in
            guard entries.values.contains(where: { now >= $0.expiresAt }) else { return [] }
            let expired = entries.filter { now >= $0.value.expiresAt }
            for token in expired.keys {
                entries[token] = nil
            }
            return Array(expired.values)
        }
    }
}
