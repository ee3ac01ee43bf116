import Synchronization

/// Counts live allocations per user, per room and in total, shared by every event loop of one
/// server.
///
/// Taken only on the control path (Allocate and allocation deletion), never per packet.
/// RFC 8656 Section 7.2: over a user's (or room's) quota the answer is 486; over the
/// server's, 508.
public final class QuotaLedger: Sendable {
    /// Why a reservation was refused.
    public enum Refusal: Hashable, Sendable {
        /// The user holds `userQuota` allocations already.
        case userQuota
        /// The room holds `roomQuota` allocations already.
        case roomQuota
        /// The server holds `totalQuota` allocations already.
        case totalQuota
    }

    private struct Counts {
        var total = 0
        var perUser: [String: Int] = [:]
        var perRoom: [String: Int] = [:]
    }

    private let counts = Mutex(Counts())

    /// Creates an empty ledger.
    public init() {}

    /// Takes one slot for `user` (and `room`, when the credential names one) unless a limit
    /// (0 means none) is reached.
    public func reserve(user: String, room: String? = nil, userQuota: Int, roomQuota: Int = 0, totalQuota: Int) -> Refusal? {
        self.counts.withLock { counts in
            if totalQuota > 0, counts.total >= totalQuota { return .totalQuota }
            let held = counts.perUser[user, default: 0]
            if userQuota > 0, held >= userQuota { return .userQuota }
            let inRoom = room.map { counts.perRoom[$0, default: 0] } ?? 0
            if roomQuota > 0, room != nil, inRoom >= roomQuota { return .roomQuota }
            counts.total += 1
            counts.perUser[user] = held + 1
            if let room { counts.perRoom[room] = inRoom + 1 }
            return nil
        }
    }

    /// Returns one slot of `user` (and `room`).
    public func release(user: String, room: String? = nil) {
        self.counts.withLock { counts in
            guard let held = counts.perUser[user], held > 0 else { return }
            counts.total -= 1
            counts.perUser[user] = held == 1 ? nil : held - 1
            if let room, let inRoom = counts.perRoom[room] {
                counts.perRoom[room] = inRoom <= 1 ? nil : inRoom - 1
            }
        }
    }

    /// The number of allocations counted.
    public var total: Int { self.counts.withLock { $0.total } }

    /// The number of allocations counted for `room`.
    public func count(room: String) -> Int { self.counts.withLock { $0.perRoom[room, default: 0] } }

    /// The number of allocations counted for `user`.
    public func count(user: String) -> Int { self.counts.withLock { $0.perUser[user, default: 0] } }
}
