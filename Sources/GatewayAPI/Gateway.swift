public import CoreMetrics
public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
public import Logging
public import ServiceLifecycle
public import TURNAuth

/// The credential gateway: the HTTP API of docs/gateway.md, ready to run as services.
///
/// The executable creates it once and adds ``services`` to its `ServiceGroup`; tests use
/// ``makeAPIRouter()`` and ``makeAdminRouter()`` in process.
public struct Gateway: Sendable {
    private let core: GatewayCore

    /// Loads the keys, fetches the JWKS URL once (a failure is logged and retried when a token
    /// names an unknown `kid`) and prepares the listeners.
    ///
    /// - Parameters:
    ///   - configuration: the gateway's settings.
    ///   - relay: the relay the admin API and `/readyz` act on.
    ///   - revocations: the revocation list shared with the relay.
    ///   - metricsFactory: the metrics backend.
    ///   - logger: the gateway's logger.
    ///   - securityLogger: the logger of security events (label `turngate.security`).
    ///   - metricsText: the Prometheus text served at `/metrics`.
    ///   - clock: the time source (tests script it).
    ///   - jwksFetcher: how the JWKS URL is fetched; nil for HTTP(S) with AsyncHTTPClient.
    /// - Throws: ``GatewayConfigurationError`` for settings ``validate(_:)`` refuses.
    public init(
        configuration: GatewayConfiguration,
        relay: any RelayControl,
        revocations: RevocationList,
        metricsFactory: any MetricsFactory,
        logger: Logger,
        securityLogger: Logger,
        metricsText: @escaping @Sendable () -> String,
        clock: GatewayClock = .system,
        jwksFetcher: (any JWKSFetcher)? = nil
    ) async throws(GatewayConfigurationError) {
        try GatewayValidation.checkSettings(configuration)
        let metrics = GatewayMetrics(factory: metricsFactory)
        let localKeys = try await GatewayValidation.localKeys(configuration.jwt)
        var remote: RemoteKeySet?
        if let url = configuration.jwt.jwksURL {
            let keySet = RemoteKeySet(
                url: url, fetcher: jwksFetcher ?? HTTPJWKSFetcher(), cooldownSeconds: configuration.jwt.jwksRefetchCooldownSeconds,
                metrics: metrics, logger: logger)
            await keySet.refresh(now: clock.now())
            remote = keySet
        }
        let verifier = TokenVerifier(localKeys: localKeys, remote: remote, policy: ClaimPolicy(configuration.jwt))
        self.core = GatewayCore(
            configuration: configuration, relay: relay, revocations: revocations, verifier: verifier, metrics: metrics,
            security: SecurityLog(logger: securityLogger), logger: logger, clock: clock, metricsText: metricsText)
        let tls = try configuration.tls.map { files throws(GatewayConfigurationError) in
            try GatewayValidation.tlsConfiguration(files)
        }
        self.services = try Self.services(self.core, tls: tls)
    }

    /// Checks settings the gateway cannot work with: ports, limits, bandwidth classes, TLS
    /// files, and every key source (unreadable or unparsable PEM files and JWKS files, no key
    /// source at all). The JWKS URL is not fetched.
    ///
    /// - Throws: ``GatewayConfigurationError`` naming the setting or file.
    public static func validate(_ configuration: GatewayConfiguration) async throws(GatewayConfigurationError) {
        try GatewayValidation.checkSettings(configuration)
        _ = try await GatewayValidation.localKeys(configuration.jwt)
        if let files = configuration.tls { _ = try GatewayValidation.tlsConfiguration(files) }
    }

    /// The API listener's router: credentials, health, `/metrics`, and the admin API unless it
    /// has its own port.
    public func makeAPIRouter() -> Router<GatewayRequestContext> { GatewayRouter.api(self.core) }

    /// The admin listener's router; nil without an admin token or without `admin-listening-port`.
    public func makeAdminRouter() -> Router<GatewayRequestContext>? { GatewayRouter.admin(self.core) }

    /// One HTTP(S) application per listening address for the API, and as many on the admin
    /// port when it is set.
    public let services: [any Service]

    private static func services(
        _ core: GatewayCore, tls: TLSConfiguration?
    ) throws(GatewayConfigurationError) -> [any Service] {
        let configuration = core.configuration
        let http = HTTPServerBuilder.http1(configuration: .init(idleTimeout: .seconds(Self.idleTimeoutSeconds)))
        let server: HTTPServerBuilder
        do {
            server = try tls.map { try HTTPServerBuilder.tls(http, tlsConfiguration: $0) } ?? http
        } catch {
            throw .init("api-cert/api-pkey: cannot set up TLS: \(error)")
        }
        var listeners = [(GatewayRouter.api(core).buildResponder(), configuration.port)]
        if let adminPort = configuration.adminPort, let admin = GatewayRouter.admin(core) {
            listeners.append((admin.buildResponder(), adminPort))
        }
        var services: [any Service] = []
        for (responder, port) in listeners {
            for host in configuration.listeningAddresses {
                services.append(
                    Application(
                        responder: responder, server: server,
                        configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
                        logger: core.logger))
            }
        }
        return services
    }

    /// Seconds an idle HTTP connection is kept open.
    static let idleTimeoutSeconds: Int64 = 30
}
