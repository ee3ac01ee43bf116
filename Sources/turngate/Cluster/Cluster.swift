import CoreMetrics
import Foundation
import Logging
import ServiceLifecycle
import TURNAuth
import TURNConfig
import TURNRedis
import TURNServer

/// A node's part in a cluster sharing one Redis (coturn's `redis-userdb` and `redis-statsdb`):
/// users and secrets, the cluster-wide quota, revocations, allocation events. Built before the
/// relay (which takes ``observer``), started with it (``start(server:base:)``).
final class Cluster: Sendable {
    let observer: RedisAllocationObserver
    private let userDB: RedisClient?
    private let statsDB: RedisClient?
    private let subscriber: RedisSubscriber?
    /// Where `redis-userdb` is, for subscribers of other channels.
    private let userDBConnection: RedisConnectionConfiguration?
    private let realm: String
    private let node: String
    /// Whether the node must not be ready without Redis (`redis-optional` not set).
    private let redisRequired: Bool
    private let metrics: ClusterMetrics
    private let logger: Logger

    /// A Redis setting that cannot be used, or Redis unreachable at start without `redis-optional`.
    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    /// Connects to Redis, or returns nil when neither `redis-userdb` nor `redis-statsdb` is set.
    ///
    /// - Throws: ``SetupError`` for a malformed connection string, or when Redis cannot be
    ///   reached at start and `redis-optional` is not set.
    static func connect(_ configuration: TURNServerConfiguration, realm: String, logger: Logger) async throws -> Cluster? {
        guard configuration.redisUserDB != nil || configuration.redisStatsDB != nil else { return nil }
        let userDB = try configuration.redisUserDB.map { try Self.client($0, key: "redis-userdb", logger: logger) }
        let statsDB = try configuration.redisStatsDB.map { try Self.client($0, key: "redis-statsdb", logger: logger) }
        for (client, key) in [(userDB, "redis-userdb"), (statsDB, "redis-statsdb")] {
            guard let client else { continue }
            do {
                try await client.ping()
            } catch {
                guard configuration.redisOptional else {
                    await userDB?.shutdown()
                    await statsDB?.shutdown()
                    throw SetupError(description: "\(key): Redis cannot be reached: \(error) (set redis-optional to start without it)")
                }
                logger.warning("Redis cannot be reached; starting without it (redis-optional)", metadata: [
                    "turn.event": "redis_unreachable", "turn.config.key": "\(key)", "turn.error": "\(error)",
                ])
            }
        }
        let node = configuration.nodeID ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
        var subscriber: RedisSubscriber?
        var userDBConnection: RedisConnectionConfiguration?
        if let text = configuration.redisUserDB {
            do {
                let connection = try RedisConnectionConfiguration(coturnConnectionString: text)
                subscriber = try RedisSubscriber(configuration: connection, channels: [RevocationBroadcast.channel], logger: logger)
                userDBConnection = connection
            } catch {
                throw SetupError(description: "redis-userdb: \(error)")
            }
        }
        let metrics = ClusterMetrics(factory: MetricsSystem.factory)
        let observer = RedisAllocationObserver(
            leases: userDB.map { RedisLeaseCounter(client: $0) },
            roomLeases: userDB.map { RedisLeaseCounter(client: $0, keyPrefix: "turngate/quota/room/") },
            userQuota: configuration.userQuota,
            roomQuota: configuration.roomQuota,
            node: node,
            lease: .seconds(configuration.redisLease),
            quotaPolicy: configuration.redisQuotaPolicy,
            stats: statsDB.map { CoturnStatsPublisher(client: $0) },
            realm: realm,
            metrics: metrics,
            logger: logger
        )
        logger.info("cluster node", metadata: ["turn.node": "\(node)"])
        return Cluster(
            observer: observer, userDB: userDB, statsDB: statsDB, subscriber: subscriber, userDBConnection: userDBConnection,
            realm: realm, node: node,
            redisRequired: !configuration.redisOptional, metrics: metrics, logger: logger)
    }

    private init(
        observer: RedisAllocationObserver, userDB: RedisClient?, statsDB: RedisClient?, subscriber: RedisSubscriber?,
        userDBConnection: RedisConnectionConfiguration?, realm: String, node: String, redisRequired: Bool, metrics: ClusterMetrics,
        logger: Logger
    ) {
        self.userDBConnection = userDBConnection
        self.redisRequired = redisRequired
        self.observer = observer
        self.userDB = userDB
        self.statsDB = statsDB
        self.subscriber = subscriber
        self.realm = realm
        self.node = node
        self.metrics = metrics
        self.logger = logger
    }

    private static func client(_ text: String, key: String, logger: Logger) throws -> RedisClient {
        do {
            return RedisClient(configuration: try RedisConnectionConfiguration(coturnConnectionString: text), logger: logger)
        } catch {
            throw SetupError(description: "\(key): \(error)")
        }
    }

    /// The service that runs the node's Redis work while the relay runs; `base` is the
    /// configuration file's users and secrets, merged with Redis'; `uris` this node's
    /// `turn-uris`, published with its load.
    func start(server: TURNServerService, base: RedisCredentialSync.Base, uris: [String]) -> ClusterService {
        let sync = self.userDB.map {
            RedisCredentialSync(
                database: CoturnUserDatabase(client: $0), realm: self.realm, server: server, base: base, metrics: self.metrics,
                logger: self.logger)
        }
        if let sync { server.resolveCredentialMisses(with: sync) }
        var broadcast: RevocationBroadcast?
        if let userDB = self.userDB, let subscriber = self.subscriber {
            let revocationBroadcast = RevocationBroadcast(
                client: userDB, subscriber: subscriber, revocations: server.revocations, node: self.node, logger: self.logger)
            revocationBroadcast.attach()
            broadcast = revocationBroadcast
        }
        let nodes = self.userDB.map { ClusterNodes(client: $0, node: self.node, uris: uris, server: server, logger: self.logger) }
        return ClusterService(cluster: self, sync: sync, broadcast: broadcast, nodes: nodes)
    }

    /// The bus that spans signaling rooms over `redis-userdb`, with its own subscriber; nil
    /// without `redis-userdb`. Run it as a service: it closes its subscriber on shutdown.
    func makeSignalBus() throws -> RedisSignalBus? {
        guard let userDB = self.userDB, let connection = self.userDBConnection else { return nil }
        let subscriber = try RedisSubscriber(configuration: connection, channels: [RedisSignalBus.channel], logger: self.logger)
        return RedisSignalBus(client: userDB, subscriber: subscriber, node: self.node, logger: self.logger)
    }

    /// False while Redis is required (`redis-optional` not set) and a connection to it is down.
    var requiredRedisReachable: Bool {
        !self.redisRequired || [self.userDB, self.statsDB].allSatisfy { $0?.isConnected ?? true }
    }

    /// Keeps the connections up and reports their health, until cancelled.
    fileprivate func maintain() async {
        await withTaskGroup(of: Void.self) { group in
            for client in [self.userDB, self.statsDB].compactMap({ $0 }) {
                group.addTask { await client.maintainConnection() }
            }
            group.addTask {
                while !Task.isCancelled {
                    self.metrics.redisUp(userDB: self.userDB?.isConnected, statsDB: self.statsDB?.isConnected)
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    fileprivate func shutdown() async {
        await self.observer.deliverReleases(retrying: false)
        self.observer.finish()
        await self.subscriber?.shutdown()
        await self.userDB?.shutdown()
        await self.statsDB?.shutdown()
    }
}

/// Runs the cluster's loops (connections, users and secrets, leases, events, revocations,
/// node load) until graceful shutdown.
struct ClusterService: Service {
    fileprivate let cluster: Cluster
    let sync: RedisCredentialSync?
    fileprivate let broadcast: RevocationBroadcast?
    /// The cluster's nodes and their load.
    let nodes: ClusterNodes?

    /// False while Redis is required and a connection to it is down (`/readyz`).
    var requiredRedisReachable: Bool { self.cluster.requiredRedisReachable }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.cluster.maintain() }
                group.addTask { await self.cluster.observer.run() }
                group.addTask { await self.cluster.observer.releaseLeases() }
                group.addTask { await self.cluster.observer.renewLeases() }
                if let sync = self.sync { group.addTask { await sync.run() } }
                if let broadcast = self.broadcast { group.addTask { await broadcast.run() } }
                if let nodes = self.nodes { group.addTask { await nodes.run() } }
            }
        }
        await self.cluster.shutdown()
    }
}
