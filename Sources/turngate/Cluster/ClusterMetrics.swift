import CoreMetrics

/// The cluster's health in `/metrics`: whether each Redis connection is up, refusals by the
/// cluster-wide quota, admissions decided without Redis (admitted per node, or refused under
/// `redis-quota-policy closed`), statistics events dropped for room, and lease releases
/// waiting for Redis or let go after their lease lapsed, and lookups of credentials the relay
/// lacked.
struct ClusterMetrics: Sendable {
    private let userDBUp: Gauge
    private let statsDBUp: Gauge
    private let quotaRefusals: Counter
    private let fallbacks: Counter
    private let unavailableRefusals: Counter
    private let eventsDropped: Counter
    private let pendingReleases: Gauge
    private let lapsedReleases: Counter
    private let credentialSyncFailures: Counter
    private let credentialLookups: [RedisCredentialSync.LookupOutcome: Counter]

    init(factory: any MetricsFactory) {
        self.userDBUp = Gauge(label: "turngate_redis_up", dimensions: [("db", "userdb")], factory: factory)
        self.statsDBUp = Gauge(label: "turngate_redis_up", dimensions: [("db", "statsdb")], factory: factory)
        self.quotaRefusals = Counter(label: "turngate_cluster_quota_refusals_total", factory: factory)
        self.fallbacks = Counter(label: "turngate_cluster_quota_fallbacks_total", factory: factory)
        self.unavailableRefusals = Counter(label: "turngate_cluster_quota_unavailable_refusals_total", factory: factory)
        self.eventsDropped = Counter(label: "turngate_cluster_events_dropped_total", factory: factory)
        self.pendingReleases = Gauge(label: "turngate_cluster_lease_releases_pending", factory: factory)
        self.lapsedReleases = Counter(label: "turngate_cluster_lease_releases_lapsed_total", factory: factory)
        self.credentialSyncFailures = Counter(label: "turngate_redis_credential_sync_failures_total", factory: factory)
        self.credentialLookups = Dictionary(uniqueKeysWithValues: RedisCredentialSync.LookupOutcome.allCases.map { outcome in
            (outcome, Counter(label: "turngate_redis_credential_lookups_total", dimensions: [("outcome", outcome.rawValue)], factory: factory))
        })
    }

    func redisUp(userDB: Bool?, statsDB: Bool?) {
        if let userDB { self.userDBUp.record(userDB ? 1 : 0) }
        if let statsDB { self.statsDBUp.record(statsDB ? 1 : 0) }
    }

    func clusterQuotaRefusal() { self.quotaRefusals.increment() }
    func fallback() { self.fallbacks.increment() }
    func unavailableRefusal() { self.unavailableRefusals.increment() }
    func eventDropped() { self.eventsDropped.increment() }
    func releasesPending(_ count: Int) { self.pendingReleases.record(count) }
    func releasesLapsed(_ count: Int) {
        if count > 0 { self.lapsedReleases.increment(by: count) }
    }
    func credentialSyncFailed() { self.credentialSyncFailures.increment() }
    func credentialLookup(_ outcome: RedisCredentialSync.LookupOutcome) { self.credentialLookups[outcome]?.increment() }
}
