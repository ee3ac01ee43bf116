import Crypto
import Foundation
import Logging
import Synchronization
import TURNAuth

/// What every route handler shares: the relay, metrics and logs, which live as long as the
/// gateway, and the ``GatewaySettings`` that ``Gateway/reload(_:)`` replaces.
///
/// Handlers and middleware read ``settings`` once per request and use that snapshot to the
/// end; the lock is never held across a suspension point.
final class GatewayCore: Sendable {
    /// The configuration the listeners were started with; listening addresses, ports and TLS
    /// files only change with a restart.
    let startConfiguration: GatewayConfiguration
    let relay: any RelayControl
    let revocations: RevocationList
    let metrics: GatewayMetrics
    let security: SecurityLog
    let logger: Logger
    let clock: GatewayClock
    let metricsText: @Sendable () -> String
    let jwksFetcher: any JWKSFetcher
    /// Failed admin authentications per client (IPv6 by /64): ``adminFailureLimit``.
    let adminFailures = RateLimiter(GatewayCore.adminFailureLimit)
    private let current: Mutex<GatewaySettings>

    /// Failed admin authentications allowed per client before 429: 10 a minute.
    static let adminFailureLimit = RateLimit(count: 10, windowSeconds: 60)

    init(
        settings: GatewaySettings, relay: any RelayControl, revocations: RevocationList, metrics: GatewayMetrics,
        security: SecurityLog, logger: Logger, clock: GatewayClock, metricsText: @escaping @Sendable () -> String,
        jwksFetcher: any JWKSFetcher
    ) {
        self.startConfiguration = settings.configuration
        self.relay = relay
        self.revocations = revocations
        self.metrics = metrics
        self.security = security
        self.logger = logger
        self.clock = clock
        self.metricsText = metricsText
        self.jwksFetcher = jwksFetcher
        self.current = Mutex(settings)
    }

    /// The settings in force now.
    var settings: GatewaySettings { self.current.withLock { $0 } }

    /// Puts `settings` in force for every request that starts from now on.
    func replace(_ settings: GatewaySettings) { self.current.withLock { $0 = settings } }

    /// Validates `configuration` and loads its keys (fetching a new JWKS URL once), reusing
    /// from `previous` the JWKS key set when its URL and cool-down are unchanged and the rate
    /// limiters (with their counters) when the rate is unchanged.
    ///
    /// - Throws: ``GatewayConfigurationError`` for settings ``Gateway/validate(_:)`` refuses.
    func makeSettings(_ configuration: GatewayConfiguration, previous: GatewaySettings?) async throws(GatewayConfigurationError)
        -> GatewaySettings
    {
        try await GatewaySettings.make(
            configuration, previous: previous, fetcher: self.jwksFetcher, metrics: self.metrics, logger: self.logger,
            clock: self.clock)
    }
}

/// The rate limiters of the credential routes: one keyed by client, one by user.
struct CredentialLimiters: Sendable {
    let ip: RateLimiter
    let user: RateLimiter
}

/// Everything a configuration reload can replace, built and validated as a whole before it
/// is put in force.
struct GatewaySettings: Sendable {
    let configuration: GatewayConfiguration
    let verifier: TokenVerifier
    let minter: CredentialMinter
    /// nil when rate limiting is off.
    let limiters: CredentialLimiters?
    /// SHA-256 of the admin token, so comparison time does not depend on its length.
    let adminTokenDigest: [UInt8]?
    let corsOrigins: Set<String>

    /// See ``GatewayCore/makeSettings(_:previous:)``.
    static func make(
        _ configuration: GatewayConfiguration, previous: GatewaySettings?, fetcher: any JWKSFetcher, metrics: GatewayMetrics,
        logger: Logger, clock: GatewayClock
    ) async throws(GatewayConfigurationError) -> GatewaySettings {
        try GatewayValidation.checkSettings(configuration)
        let jwt = configuration.jwt
        let localKeys = try await GatewayValidation.localKeys(jwt)
        var remote: RemoteKeySet?
        if let url = jwt.jwksURL {
            if let old = previous?.verifier.remote, old.url == url, old.cooldownSeconds == jwt.jwksRefetchCooldownSeconds {
                remote = old
            } else {
                let keySet = RemoteKeySet(
                    url: url, fetcher: fetcher, cooldownSeconds: jwt.jwksRefetchCooldownSeconds, metrics: metrics, logger: logger)
                await keySet.refresh(now: clock.now())
                remote = keySet
            }
        }
        let limiters = configuration.rateLimit.map { rate in
            if let old = previous?.limiters, old.ip.rate == rate { return old }
            return CredentialLimiters(ip: RateLimiter(rate), user: RateLimiter(rate))
        }
        return GatewaySettings(
            configuration: configuration,
            verifier: TokenVerifier(localKeys: localKeys, remote: remote, policy: ClaimPolicy(jwt)),
            minter: CredentialMinter(
                secret: configuration.restSecret.text, separator: configuration.restSeparator, ttl: configuration.credentialTTL,
                classes: configuration.bandwidthClasses),
            limiters: limiters,
            adminTokenDigest: configuration.adminToken.map { Array(SHA256.hash(data: $0.bytes)) },
            corsOrigins: Set(configuration.corsOrigins))
    }
}
