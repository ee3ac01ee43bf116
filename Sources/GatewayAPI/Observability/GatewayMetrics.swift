import CoreMetrics
import Synchronization

/// Every metric the gateway records, created from an injected factory.
///
/// Labels come from bounded sets: route templates, HTTP status codes, rejection codes, rate
/// limit scopes, fetch outcomes, revocation subjects and security events. Never a user, room or address.
final class GatewayMetrics: Sendable {
    /// A JWKS URL fetch's outcome.
    enum FetchOutcome: String, Sendable, CaseIterable {
        case success, failure, cooldown
    }

    /// Which limiter refused a request.
    enum RateLimitScope: String, Sendable, CaseIterable {
        case ip, user
    }

    private let factory: any MetricsFactory
    private let requests = Mutex([String: Counter]())
    private let durations: [String: Timer]
    private let tokenRejections: [String: Counter]
    private let rateLimited: [RateLimitScope: Counter]
    private let credentialsIssued: Counter
    private let jwksFetches: [FetchOutcome: Counter]
    private let revocations: [String: Counter]
    private let securityEvents: [SecurityLog.Event: Counter]

    init(factory: any MetricsFactory) {
        self.factory = factory
        let routes = GatewayRoutes.all.union([GatewayRoutes.other])
        self.durations = Dictionary(uniqueKeysWithValues: routes.map { route in
            (route, Timer(label: "turngate_gateway_request_duration_seconds", dimensions: [("route", route)], factory: factory))
        })
        self.tokenRejections = Dictionary(uniqueKeysWithValues: TokenRejection.all.map { rejection in
            (rejection.code, Counter(label: "turngate_gateway_token_rejections_total", dimensions: [("reason", rejection.code)], factory: factory))
        })
        self.rateLimited = Dictionary(uniqueKeysWithValues: RateLimitScope.allCases.map { scope in
            (scope, Counter(label: "turngate_gateway_rate_limited_total", dimensions: [("scope", scope.rawValue)], factory: factory))
        })
        self.credentialsIssued = Counter(label: "turngate_gateway_credentials_issued_total", factory: factory)
        self.jwksFetches = Dictionary(uniqueKeysWithValues: FetchOutcome.allCases.map { outcome in
            (outcome, Counter(label: "turngate_jwks_fetches_total", dimensions: [("outcome", outcome.rawValue)], factory: factory))
        })
        self.revocations = Dictionary(uniqueKeysWithValues: AdminSubject.labels.map { subject in
            (subject, Counter(label: "turngate_gateway_revocations_total", dimensions: [("subject", subject)], factory: factory))
        })
        self.securityEvents = Dictionary(uniqueKeysWithValues: SecurityLog.Event.allCases.map { event in
            (event, Counter(label: "turngate_gateway_security_events_total", dimensions: [("event", event.rawValue)], factory: factory))
        })
    }

    /// A request to `route` (a template or `other`) was answered with `status`.
    func request(route: String, status: Int, duration: Duration) {
        let key = "\(route) \(status)"
        let counter = self.requests.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(
                label: "turngate_gateway_requests_total", dimensions: [("route", route), ("status", String(status))],
                factory: self.factory)
            counters[key] = counter
            return counter
        }
        counter.increment()
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        self.durations[route]?.recordNanoseconds(nanoseconds)
    }

    /// A token was refused.
    func tokenRejected(_ rejection: TokenRejection) { self.tokenRejections[rejection.code]?.increment() }

    /// A request was refused by a rate limit.
    func rateLimited(_ scope: RateLimitScope) { self.rateLimited[scope]?.increment() }

    /// A credential was minted.
    func credentialIssued() { self.credentialsIssued.increment() }

    /// A JWKS URL fetch was attempted or skipped.
    func jwksFetch(_ outcome: FetchOutcome) { self.jwksFetches[outcome]?.increment() }

    /// A security event was logged.
    func securityEvent(_ event: SecurityLog.Event) { self.securityEvents[event]?.increment() }

    /// A revocation was added for `subject` (one of ``AdminSubject/labels``).
    func revocation(subject: String) { self.revocations[subject]?.increment() }
}
