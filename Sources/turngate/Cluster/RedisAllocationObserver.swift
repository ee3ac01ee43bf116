import Logging
import Synchronization
import TURNRedis
import TURNServer

/// The relay's allocations as the cluster sees them: a cluster-wide `user-quota` and
/// `room-quota` kept as leases in Redis (a dead node's slots lapse within `redis-lease`), and coturn's statsdb
/// events (status and interim traffic, keyed by the user name the client sent, as coturn).
///
/// Redis is never awaited on an event loop: ``admit(_:)`` runs off it, and everything else is
/// queued (bounded, newest kept) for ``run()``. When Redis cannot answer, admission falls back
/// to the node's own count, and that is logged and counted.
final class RedisAllocationObserver: AllocationObserver {
    enum Event: Sendable {
        case created(ObservedAllocation, lifetimeSeconds: Int)
        case traffic(ObservedAllocation, AllocationTraffic)
        case ended(ObservedAllocation, AllocationTraffic)
    }

    private let leases: RedisLeaseCounter?
    private let roomLeases: RedisLeaseCounter?
    private let userQuota: Int
    private let roomQuota: Int
    private let node: String
    private let lease: Duration
    private let stats: CoturnStatsPublisher?
    private let realm: String
    private let metrics: ClusterMetrics
    private let logger: Logger
    private let live = Mutex([UInt64: ObservedAllocation]())
    private let events: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation

    init(
        leases: RedisLeaseCounter?,
        roomLeases: RedisLeaseCounter?,
        userQuota: Int,
        roomQuota: Int,
        node: String,
        lease: Duration,
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
        self.stats = stats
        self.realm = realm
        self.metrics = metrics
        self.logger = logger
        (self.events, self.continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(10_000))
    }

    func admit(_ allocation: ObservedAllocation) async -> Bool {
        do {
            guard try await self.acquire(allocation, leases: self.leases, key: allocation.grant.user, limit: self.userQuota) else {
                return false
            }
            if let room = allocation.grant.room,
                try await !self.acquire(allocation, leases: self.roomLeases, key: room, limit: self.roomQuota)
            {
                if let leases = self.leases, self.userQuota > 0 {
                    _ = try? await leases.release(user: allocation.grant.user, node: self.node, allocationID: String(allocation.id))
                }
                return false
            }
            self.live.withLock { $0[allocation.id] = allocation }
            return true
        } catch {
            self.metrics.fallback()
            self.logger.warning("cluster quota unavailable: counting on this node only", metadata: [
                "turn.event": "cluster_quota_fallback", "turn.error": "\(error)",
            ])
            return true
        }
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
        self.continuation.yield(.created(allocation, lifetimeSeconds: lifetimeSeconds))
    }

    func trafficUpdated(_ allocation: ObservedAllocation, traffic: AllocationTraffic) {
        self.continuation.yield(.traffic(allocation, traffic))
    }

    func allocationEnded(_ allocation: ObservedAllocation, traffic: AllocationTraffic) {
        self.live.withLock { $0[allocation.id] = nil }
        self.continuation.yield(.ended(allocation, traffic))
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
                    if let leases, self.userQuota > 0 {
                        try await leases.release(user: allocation.grant.user, node: self.node, allocationID: String(allocation.id))
                    }
                    if let roomLeases, self.roomQuota > 0, let room = allocation.grant.room {
                        try await roomLeases.release(user: room, node: self.node, allocationID: String(allocation.id))
                    }
                    try await self.stats?.allocationDeleted(
                        realm: self.realm, user: allocation.username, allocationID: allocation.id, totals: Self.counters(traffic))
                }
            } catch {
                self.logger.debug("cluster event not delivered", metadata: ["turn.error": "\(error)"])
            }
        }
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

    /// Ends the event stream (shutdown).
    func finish() {
        self.continuation.finish()
    }

    /// coturn's view: received from the client and sent to it.
    private static func counters(_ traffic: AllocationTraffic) -> CoturnTrafficCounters {
        CoturnTrafficCounters(
            receivedPackets: UInt64(clamping: traffic.packetsToPeers), receivedBytes: UInt64(clamping: traffic.bytesToPeers),
            sentPackets: UInt64(clamping: traffic.packetsToClient), sentBytes: UInt64(clamping: traffic.bytesToClient))
    }
}
