import Crypto
import Foundation
import Logging
import TURNAuth

/// What every route handler shares: configuration, verifier, limiters, relay, metrics, logs.
struct GatewayCore: Sendable {
    let configuration: GatewayConfiguration
    let relay: any RelayControl
    let revocations: RevocationList
    let verifier: TokenVerifier
    let ipLimiter: RateLimiter
    let userLimiter: RateLimiter
    let minter: CredentialMinter
    let metrics: GatewayMetrics
    let security: SecurityLog
    let logger: Logger
    let clock: GatewayClock
    let metricsText: @Sendable () -> String
    /// SHA-256 of the admin token, so comparison time does not depend on its length.
    let adminTokenDigest: [UInt8]?

    init(
        configuration: GatewayConfiguration, relay: any RelayControl, revocations: RevocationList, verifier: TokenVerifier,
        metrics: GatewayMetrics, security: SecurityLog, logger: Logger, clock: GatewayClock,
        metricsText: @escaping @Sendable () -> String
    ) {
        self.configuration = configuration
        self.relay = relay
        self.revocations = revocations
        self.verifier = verifier
        let rate = configuration.rateLimit
        self.ipLimiter = RateLimiter(count: rate.count, windowSeconds: rate.windowSeconds)
        self.userLimiter = RateLimiter(count: rate.count, windowSeconds: rate.windowSeconds)
        self.minter = CredentialMinter(
            secret: configuration.restSecret.text, separator: configuration.restSeparator, ttl: configuration.credentialTTL,
            classes: configuration.bandwidthClasses, revocations: revocations)
        self.metrics = metrics
        self.security = security
        self.logger = logger
        self.clock = clock
        self.metricsText = metricsText
        self.adminTokenDigest = configuration.adminToken.map { Array(SHA256.hash(data: $0.bytes)) }
    }
}
