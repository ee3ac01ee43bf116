import Logging
import Synchronization
import TURNRedis
import TURNServer

/// The relay's allocations as the cluster sees them: a cluster-wide `user-quota` kept as
/// leases in Redis (a dead node's slots lapse within `redis-lease`), and coturn's statsdb
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
    private let userQuota: Int
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
        userQuota: Int,
        node: String,
        lease: Duration,
        stats: CoturnStatsPublisher?,
        realm: String,
        metrics: ClusterMetrics,
        logger: Logger
    ) {
        self.leases = leases
        self.userQuota = userQuota
        self.node = node
        self.lease = lease
        self.stats = stats
        self.realm = realm
        self.metrics = metrics
        self.logger = logger
        (self.events, self.continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(10_000))
    }

    func admit(_ allocation: ObservedAllocation) async -> Bool {
        guard let leases, self.userQuota > 0 else { return true }
        do {
            switch try await leases.acquire(
                user: allocation.grant.user, limit: self.userQuota, node: self.node, allocationID: String(allocation.id), lease: self.lease)
            {
            case .acquired:
                self.live.withLock { $0[allocation.id] = allocation }
                return true
            case .refused:
                self.metrics.clusterQuotaRefusal()
                return false
            }
        } catch {
            self.metrics.fallback()
            self.logger.warning("cluster quota unavailable: counting on this node only", metadata: [
                "turn.event": "cluster_quota_fallback", "turn.error": "\(error)",
            ])
            return true
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
        guard let leases, self.userQuota > 0 else { return }
        while !Task.isCancelled {
            try? await Task.sleep(for: self.lease / 3)
            for allocation in self.live.withLock({ Array($0.values) }) {
                _ = try? await leases.renew(user: allocation.grant.user, node: self.node, allocationID: String(allocation.id), lease: self.lease)
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
