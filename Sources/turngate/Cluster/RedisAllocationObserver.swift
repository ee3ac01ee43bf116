import Logging
import Synchronization
import TURNConfig
import TURNLogging
import TURNRedis
import TURNServer

/// The relay's allocations as the cluster sees them: a cluster-wide `user-quota` and
/// `room-quota` kept as leases in Redis (a dead node's slots lapse within `redis-lease`), and coturn's statsdb
/// events (status and interim traffic, keyed by the user name the client sent, as coturn).
///
/// Redis is never awaited on an event loop: ``admit(_:)`` runs off it, and everything else is
/// queued for ``run()`` and ``releaseLeases()``. When Redis cannot answer, admission follows
/// `redis-quota-policy`: the node's own count (open) or a refusal (closed), logged (sampled)
/// and counted either way.
///
/// The statistics events go through a bounded buffer that keeps the newest and counts what it
/// drops. Lease releases never go through it: they wait in a ``LeaseReleaseQueue`` and are
/// retried until Redis takes them, so a backlog or an outage never leaves a user's slot held
/// by an allocation that has ended.
final class RedisAllocationObserver: AllocationObserver {
    enum Event: Sendable {
        case created(ObservedAllocation, lifetimeSeconds: Int)
        case traffic(ObservedAllocation, AllocationTraffic)
        case ended(ObservedAllocation, AllocationTraffic)
    }

    /// The statistics events held while Redis is slow; beyond this, the oldest are dropped.
    static let eventBufferLimit = 10_000

    private let leases: RedisLeaseCounter?
    private let roomLeases: RedisLeaseCounter?
    private let userQuota: Int
    private let roomQuota: Int
    private let node: String
    private let lease: Duration
    private let quotaPolicy: TURNServerConfiguration.RedisQuotaPolicy
    private let stats: CoturnStatsPublisher?
    private let realm: String
    private let metrics: ClusterMetrics
    private let logger: Logger
    private let live = Mutex([UInt64: ObservedAllocation]())
    private let releases = LeaseReleaseQueue()
    private let unavailableLog = LogSampler<TURNServerConfiguration.RedisQuotaPolicy>(interval: .seconds(10))
    private let events: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation

    init(
        leases: RedisLeaseCounter?,
        roomLeases: RedisLeaseCounter?,
        userQuota: Int,
        roomQuota: Int,
        node: String,
        lease: Duration,
        quotaPolicy: TURNServerConfiguration.RedisQuotaPolicy,
        stats: CoturnStatsPublisher?,
        realm: String,
        metrics: ClusterMetrics,
        logger: Logger
    ) {
        self.leases = leases
        self.roomLeases = roomLeases
        self.userQuota = userQuota
        self.roomQuota = roomQuota
        self.node = node
        self.lease = lease
        self.quotaPolicy = quotaPolicy
        self.stats = stats
        self.realm = realm
        self.metrics = metrics
        self.logger = logger
        (self.events, self.continuation) = AsyncStream.makeStream(
            of: Event.self, bufferingPolicy: .bufferingNewest(Self.eventBufferLimit))
    }

    func admit(_ allocation: ObservedAllocation) async -> Bool {
        var heldUserLease = false
        do {
            guard try await self.acquire(allocation, leases: self.leases, key: allocation.grant.user, limit: self.userQuota) else {
                return false
            }
            heldUserLease = self.leases != nil && self.userQuota > 0
            if let room = allocation.grant.room,
                try await !self.acquire(allocation, leases: self.roomLeases, key: room, limit: self.roomQuota)
            {
                self.giveBack(allocation, userLease: heldUserLease)
                return false
            }
            self.live.withLock { $0[allocation.id] = allocation }
            return true
        } catch {
            return self.admitWithoutRedis(allocation, heldUserLease: heldUserLease, error: error)
        }
    }

    /// What `redis-quota-policy` says when Redis could not answer.
    private func admitWithoutRedis(_ allocation: ObservedAllocation, heldUserLease: Bool, error: any Error) -> Bool {
        let admitted = self.quotaPolicy == .open
        if admitted {
            self.metrics.fallback()
            if heldUserLease { self.live.withLock { $0[allocation.id] = allocation } }
        } else {
            self.metrics.unavailableRefusal()
            self.giveBack(allocation, userLease: heldUserLease)
        }
        if let suppressed = self.unavailableLog.admit(self.quotaPolicy, now: .now) {
            let message: Logger.Message =
                admitted
                ? "cluster quota unavailable: counting on this node only (redis-quota-policy open)"
                : "cluster quota unavailable: refusing new allocations under a quota (redis-quota-policy closed)"
            self.logger.warning(message, metadata: [
                "turn.event": admitted ? "cluster_quota_fallback" : "cluster_quota_unavailable_refusal",
                "turn.error": "\(error)", "turn.suppressed": "\(suppressed)",
            ])
        }
        return admitted
    }

    /// Queues the release of the user lease an admission took before it was refused.
    private func giveBack(_ allocation: ObservedAllocation, userLease: Bool) {
        guard userLease else { return }
        self.releases.add([
            LeaseReleaseQueue.Release(scope: .user, key: allocation.grant.user, allocationID: allocation.id, ended: .now)
        ])
    }

    /// One lease for `key` (a user or a room) under `limit`; true without a limit.
    private func acquire(_ allocation: ObservedAllocation, leases: RedisLeaseCounter?, key: String, limit: Int) async throws -> Bool {
        guard let leases, limit > 0 else { return true }
        switch try await leases.acquire(user: key, limit: limit, node: self.node, allocationID: String(allocation.id), lease: self.lease) {
        case .acquired:
            return true
        case .refused:
            self.metrics.clusterQuotaRefusal()
            return false
        }
    }

    func allocationCreated(_ allocation: ObservedAllocation, lifetimeSeconds: Int) {
        self.queue(.created(allocation, lifetimeSeconds: lifetimeSeconds))
    }

    func trafficUpdated(_ allocation: ObservedAllocation, traffic: AllocationTraffic) {
        self.queue(.traffic(allocation, traffic))
    }

    func allocationEnded(_ allocation: ObservedAllocation, traffic: AllocationTraffic) {
        self.live.withLock { $0[allocation.id] = nil }
        var releases: [LeaseReleaseQueue.Release] = []
        let now = ContinuousClock.now
        if self.leases != nil, self.userQuota > 0 {
            releases.append(.init(scope: .user, key: allocation.grant.user, allocationID: allocation.id, ended: now))
        }
        if self.roomLeases != nil, self.roomQuota > 0, let room = allocation.grant.room {
            releases.append(.init(scope: .room, key: room, allocationID: allocation.id, ended: now))
        }
        self.releases.add(releases)
        self.queue(.ended(allocation, traffic))
    }

    /// Buffers a statistics event; one dropped for room is counted.
    private func queue(_ event: Event) {
        guard self.stats != nil else { return }
        if case .dropped = self.continuation.yield(event) {
            self.metrics.eventDropped()
        }
    }

    /// Sends the queued events to Redis until cancelled.
    func run() async {
        for await event in self.events {
            do {
                switch event {
                case .created(let allocation, let lifetime):
                    try await self.stats?.allocationCreated(
                        realm: self.realm, user: allocation.username, allocationID: allocation.id, lifetime: lifetime)
                case .traffic(let allocation, let traffic):
                    try await self.stats?.traffic(Self.counters(traffic), realm: self.realm, user: allocation.username, allocationID: allocation.id)
                case .ended(let allocation, let traffic):
                    try await self.stats?.allocationDeleted(
                        realm: self.realm, user: allocation.username, allocationID: allocation.id, totals: Self.counters(traffic))
                }
            } catch {
                self.logger.debug("cluster event not delivered", metadata: ["turn.error": "\(error)"])
            }
        }
    }

    /// Gives back the leases of ended allocations until cancelled or finished: each is retried,
    /// with backoff while Redis cannot answer, until Redis takes it or its lease has lapsed.
    func releaseLeases() async {
        for await _ in self.releases.wakeUps {
            await self.deliverReleases()
        }
    }

    /// Sends the queued releases until none is left, or until cancelled; with `retrying`
    /// false (shutdown), one attempt and no wait.
    func deliverReleases(retrying: Bool = true) async {
        let backoff = RedisBackoff()
        var failures = 0
        while !Task.isCancelled {
            let (due, lapsed) = self.releases.takeAll(olderThan: self.lease, now: .now)
            self.metrics.releasesLapsed(lapsed)
            guard !due.isEmpty else { break }
            if let failed = await self.send(due) {
                self.releases.putBack(Array(due[failed...]))
                self.metrics.releasesPending(self.releases.count)
                guard retrying else { break }
                failures += 1
                try? await Task.sleep(for: backoff.delay(afterFailures: failures, random: Double.random(in: 0..<1)))
            } else {
                failures = 0
            }
        }
        self.metrics.releasesPending(self.releases.count)
    }

    /// Sends `due` in order; the index of the first that Redis did not take, or nil.
    private func send(_ due: [LeaseReleaseQueue.Release]) async -> Int? {
        for (index, release) in due.enumerated() {
            let counter = release.scope == .user ? self.leases : self.roomLeases
            do {
                try await counter?.release(user: release.key, node: self.node, allocationID: String(release.allocationID))
            } catch {
                self.logger.debug("lease release not delivered; kept for a retry", metadata: ["turn.error": "\(error)"])
                return index
            }
        }
        return nil
    }

    /// Renews the leases of this node's live allocations every third of a lease, until cancelled.
    func renewLeases() async {
        guard self.userQuota > 0 || self.roomQuota > 0 else { return }
        while !Task.isCancelled {
            try? await Task.sleep(for: self.lease / 3)
            for allocation in self.live.withLock({ Array($0.values) }) {
                let id = String(allocation.id)
                if let leases = self.leases, self.userQuota > 0 {
                    _ = try? await leases.renew(user: allocation.grant.user, node: self.node, allocationID: id, lease: self.lease)
                }
                if let roomLeases = self.roomLeases, self.roomQuota > 0, let room = allocation.grant.room {
                    _ = try? await roomLeases.renew(user: room, node: self.node, allocationID: id, lease: self.lease)
                }
            }
        }
    }

    /// Ends the event stream and the release loop (shutdown).
    func finish() {
        self.continuation.finish()
        self.releases.finish()
    }

    /// coturn's view: received from the client and sent to it.
    private static func counters(_ traffic: AllocationTraffic) -> CoturnTrafficCounters {
        CoturnTrafficCounters(
            receivedPackets: UInt64(clamping: traffic.packetsToPeers), receivedBytes: UInt64(clamping: traffic.bytesToPeers),
            sentPackets: UInt64(clamping: traffic.packetsToClient), sentBytes: UInt64(clamping: traffic.bytesToClient))
    }
}
