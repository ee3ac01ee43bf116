import Synchronization

/// The cluster-quota leases this node still has to give back to Redis.
///
/// Releases are never dropped for lack of room, unlike the statistics events: a dropped
/// release would hold a user's slot until its lease lapsed. The queue is bounded anyway, by
/// the allocations this node has ended within the last lease: one entry per quota (user, room)
/// per allocation, and an entry older than the lease is moot (Redis has dropped the slot by
/// itself) and is let go by ``takeAll(olderThan:now:)``.
final class LeaseReleaseQueue: Sendable {
    /// Which quota a lease belongs to.
    enum Scope: Sendable, Hashable {
        case user
        case room
    }

    /// One lease to give back.
    struct Release: Sendable, Hashable {
        /// The user or room quota.
        var scope: Scope
        /// The user or room name, the key of the lease set.
        var key: String
        /// The allocation, the member of the lease set (with the node's name).
        var allocationID: UInt64
        /// When the allocation ended.
        var ended: ContinuousClock.Instant
    }

    private let pending = Mutex<[Release]>([])
    private let signals: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation

    init() {
        (self.signals, self.signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// The releases waiting.
    var count: Int { self.pending.withLock { $0.count } }

    /// Queues releases and wakes ``wakeUps``.
    func add(_ releases: [Release]) {
        guard !releases.isEmpty else { return }
        self.pending.withLock { $0.append(contentsOf: releases) }
        self.signal.yield()
    }

    /// Puts back releases that Redis did not take, ahead of those queued since.
    func putBack(_ releases: [Release]) {
        self.pending.withLock { $0.insert(contentsOf: releases, at: 0) }
    }

    /// Takes every queued release; `lapsed` counts those ended more than `lease` ago, which
    /// are let go.
    func takeAll(olderThan lease: Duration, now: ContinuousClock.Instant) -> (due: [Release], lapsed: Int) {
        let all = self.pending.withLock { pending in
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
        let due = all.filter { now - $0.ended <= lease }
        return (due, all.count - due.count)
    }

    /// One element per ``add(_:)`` since the last one was read (at most one waiting); ends
    /// with ``finish()``.
    var wakeUps: AsyncStream<Void> { self.signals }

    /// Ends ``wakeUps`` (shutdown).
    func finish() {
        self.signal.finish()
    }
}
