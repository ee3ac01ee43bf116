public import Foundation
import Synchronization

/// The revocations in force on this node, shared by the gateway (which refuses to mint) and
/// every relay event loop (which refuses Allocate and Refresh and ends live allocations).
///
/// Consulted on the control path only, never per relayed packet. Entries lapse at their
/// `until` time; a lapsed entry is dropped on the next change or listing.
public final class RevocationList: Sendable {
    private let entries = Mutex([Revocation.Subject: Date]())
    private let broadcaster = Mutex<(@Sendable (Revocation) -> Void)?>(nil)

    /// Creates an empty list.
    public init() {}

    /// Adds or extends a revocation.
    ///
    /// - Parameter broadcast: whether to hand it to the broadcaster (other cluster nodes); false
    ///   when applying one that came from another node.
    public func revoke(_ revocation: Revocation, now: Date = Date(), broadcast: Bool = true) {
        self.entries.withLock { entries in
            Self.prune(&entries, now: now)
            entries[revocation.subject] = max(entries[revocation.subject] ?? .distantPast, revocation.until)
        }
        if broadcast, let send = self.broadcaster.withLock({ $0 }) {
            send(revocation)
        }
    }

    /// Sets what carries revocations made on this node to the other nodes of a cluster.
    public func setBroadcaster(_ broadcaster: @escaping @Sendable (Revocation) -> Void) {
        self.broadcaster.withLock { $0 = broadcaster }
    }

    /// Lifts the revocation of `subject`; returns whether there was one.
    @discardableResult
    public func lift(_ subject: Revocation.Subject) -> Bool {
        self.entries.withLock { $0.removeValue(forKey: subject) != nil }
    }

    /// Whether a credential is revoked now.
    public func isRevoked(username: String, grant: CredentialGrant, now: Date = Date()) -> Bool {
        self.entries.withLock { entries in
            guard !entries.isEmpty else { return false }
            let subjects: [Revocation.Subject] = [.username(username), .user(grant.user)] + (grant.room.map { [.room($0)] } ?? [])
            return subjects.contains { subject in entries[subject].map { $0 > now } ?? false }
        }
    }

    /// The revocations in force, soonest to lapse first.
    public func current(now: Date = Date()) -> [Revocation] {
        self.entries.withLock { entries in
            Self.prune(&entries, now: now)
            return entries.map { Revocation(subject: $0.key, until: $0.value) }.sorted { $0.until < $1.until }
        }
    }

    private static func prune(_ entries: inout [Revocation.Subject: Date], now: Date) {
        entries = entries.filter { $0.value > now }
    }
}
