import CoreMetrics

/// The cluster's health in `/metrics`: whether each Redis connection is up, refusals by the
/// cluster-wide quota, and admissions decided per node because Redis could not answer.
struct ClusterMetrics: Sendable {
    private let userDBUp: Gauge
    private let statsDBUp: Gauge
    private let quotaRefusals: Counter
    private let fallbacks: Counter
    private let credentialSyncFailures: Counter

    init(factory: any MetricsFactory) {
        self.userDBUp = Gauge(label: "turngate_redis_up", dimensions: [("db", "userdb")], factory: factory)
        self.statsDBUp = Gauge(label: "turngate_redis_up", dimensions: [("db", "statsdb")], factory: factory)
        self.quotaRefusals = Counter(label: "turngate_cluster_quota_refusals_total", factory: factory)
        self.fallbacks = Counter(label: "turngate_cluster_quota_fallbacks_total", factory: factory)
        self.credentialSyncFailures = Counter(label: "turngate_redis_credential_sync_failures_total", factory: factory)
    }

    func redisUp(userDB: Bool?, statsDB: Bool?) {
        if let userDB { self.userDBUp.record(userDB ? 1 : 0) }
        if let statsDB { self.statsDBUp.record(statsDB ? 1 : 0) }
    }

    func clusterQuotaRefusal() { self.quotaRefusals.increment() }
    func fallback() { self.fallbacks.increment() }
    func credentialSyncFailed() { self.credentialSyncFailures.increment() }
}
