public import CoreMetrics
public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
public import Logging
public import NIOCore
public import ServiceLifecycle
public import TURNAuth

/// The credential gateway: the HTTP API of docs/gateway.md, ready to run as services.
///
/// The executable creates it once, adds ``services`` to its `ServiceGroup` and calls
/// ``reload(_:)`` on SIGHUP; tests use ``makeAPIRouter()`` and ``makeAdminRouter()`` in process.
public struct Gateway: Sendable {
    private let core: GatewayCore
    /// The API listener's certificate, when it serves HTTPS.
    private let certificates: GatewayCertificateStore?
    private let signals: SignalRoutes

    /// Loads the keys, fetches the JWKS URL once (a failure is logged and retried when a token
    /// names an unknown `kid`, and every 10 minutes) and prepares the listeners.
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
    ///   - prepareListener: runs once for each listening socket, with its channel, as soon as
    ///     it is bound. The executable adds its accept backoff there, so that a listener that
    ///     cannot accept (out of file descriptors) pauses instead of spinning an event loop.
    ///   - signalBus: how signaling rooms span the nodes of a cluster; nil for a single node.
    /// - Throws: ``GatewayConfigurationError`` for settings ``validate(_:)`` refuses.
    package init(
        configuration: GatewayConfiguration,
        relay: any RelayControl,
        revocations: RevocationList,
        metricsFactory: any MetricsFactory,
        logger: Logger,
        securityLogger: Logger,
        metricsText: @escaping @Sendable () -> String,
        clock: GatewayClock = .system,
        jwksFetcher: (any JWKSFetcher)? = nil,
        prepareListener: @escaping @Sendable (any Channel) async -> Void = { _ in },
        signalBus: (any SignalBus)? = nil
    ) async throws(GatewayConfigurationError) {
        let metrics = GatewayMetrics(factory: metricsFactory)
        let fetcher = jwksFetcher ?? HTTPJWKSFetcher()
        let settings = try await GatewaySettings.make(
            configuration, previous: nil, fetcher: fetcher, metrics: metrics, logger: logger, clock: clock)
        let certificates = try configuration.tls.map { files throws(GatewayConfigurationError) in
            try GatewayCertificateStore(files)
        }
        let tls = certificates.map { $0.tlsConfiguration() }
        self.certificates = certificates
        self.core = GatewayCore(
            settings: settings, relay: relay, revocations: revocations, metrics: metrics,
            security: SecurityLog(logger: securityLogger, metrics: metrics), logger: logger, clock: clock,
            metricsText: metricsText, jwksFetcher: fetcher)
        let hub = SignalHub(core: self.core, bus: signalBus, metrics: SignalMetrics(factory: metricsFactory))
        self.signals = SignalRoutes(core: self.core, hub: hub)
        self.services =
            try Self.services(self.core, signals: self.signals, tls: tls, prepareListener: prepareListener)
            + [SignalSweepService(hub: hub, clock: clock)]
        Self.warnAboutAudience(configuration, logger: logger)
    }

    /// Checks settings the gateway cannot work with: ports, limits, bandwidth classes, TLS
    /// files, and every key source (unreadable or unparsable PEM files and JWKS files, no key
    /// source at all). The JWKS URL is not fetched.
    ///
    /// - Throws: ``GatewayConfigurationError`` naming the setting or file.
    public static func validate(_ configuration: GatewayConfiguration) async throws(GatewayConfigurationError) {
        try GatewayValidation.checkSettings(configuration)
        _ = try await GatewayValidation.localKeys(configuration.jwt)
        if let files = configuration.tls { _ = try GatewayValidation.certificate(files) }
    }

    /// Whether the API listener serves HTTPS (`api-cert`).
    package var servesTLS: Bool { self.certificates != nil }

    /// Reads `api-cert` and `api-pkey` again: new connections get the new pair, established
    /// ones keep theirs. When the files cannot be used, the running pair stays.
    ///
    /// - Throws: ``GatewayConfigurationError`` naming the files.
    package func reloadTLS() throws(GatewayConfigurationError) {
        try self.certificates?.reload()
    }

    /// Puts a new configuration in force for every request that starts from now on.
    ///
    /// The new configuration is validated and its keys loaded first (a new JWKS URL is fetched
    /// once); when that fails, nothing changes. Then the JWT settings and keys, the REST secret
    /// and separator, `credential-ttl`, `turn-uris`, the rate limit (its counters kept when it
    /// is unchanged), the IP ranges, the CORS origins, the ICE test page, the bandwidth classes, the
    /// admin token and the request time limit change together. Listening addresses, ports, TLS
    /// files and the connection limit change only with a restart: they are logged and returned.
    ///
    /// - Parameter configuration: the new settings.
    /// - Returns: the settings that differ from the running listeners' and need a restart.
    /// - Throws: ``GatewayConfigurationError`` for settings ``validate(_:)`` refuses.
    @discardableResult
    public func reload(_ configuration: GatewayConfiguration) async throws(GatewayConfigurationError) -> [String] {
        let settings = try await self.core.makeSettings(configuration, previous: self.core.settings)
        self.core.replace(settings)
        let needRestart = Self.restartOnlyChanges(from: self.core.startConfiguration, to: configuration)
        if !needRestart.isEmpty {
            self.core.logger.warning(
                "changed gateway settings that apply only after a restart",
                metadata: ["turn.settings": "\(needRestart.joined(separator: ", "))"])
        }
        Self.warnAboutAudience(configuration, logger: self.core.logger)
        self.core.logger.info("gateway configuration reloaded")
        return needRestart
    }

    /// The API listener's router: credentials, health, `/metrics`, and the admin API unless it
    /// has its own port.
    public func makeAPIRouter() -> Router<GatewayRequestContext> { GatewayRouter.api(self.core, signals: self.signals) }

    /// The admin listener's router; nil without `admin-listening-port`.
    public func makeAdminRouter() -> Router<GatewayRequestContext>? { GatewayRouter.admin(self.core) }

    /// One HTTP(S) application per listening address for the API, as many on the admin port
    /// when it is set, and the JWKS URL's periodic refresh.
    public let services: [any Service]

    /// The names of the settings that differ between `old` and `new` and cannot change live.
    static func restartOnlyChanges(from old: GatewayConfiguration, to new: GatewayConfiguration) -> [String] {
        var changed: [String] = []
        if old.listeningAddresses != new.listeningAddresses { changed.append("api-listening-ip") }
        if old.port != new.port { changed.append("api-listening-port") }
        if old.tls != new.tls { changed.append("api-cert/api-pkey") }
        if old.adminPort != new.adminPort { changed.append("admin-listening-port") }
        if old.connectionLimit != new.connectionLimit { changed.append("api-connection-limit") }
        if (old.signaling == nil) != (new.signaling == nil) { changed.append("no-signaling") }
        if old.signaling?.maxMessageBytes != new.signaling?.maxMessageBytes { changed.append("signal-max-message-size") }
        if old.signaling?.pingIntervalSeconds != new.signaling?.pingIntervalSeconds { changed.append("signal-ping-interval") }
        return changed
    }

    /// Asymmetric keys are often published for several services; without `jwt-audience` a
    /// token issued for any of them is accepted here.
    private static func warnAboutAudience(_ configuration: GatewayConfiguration, logger: Logger) {
        let jwt = configuration.jwt
        let asymmetric = !jwt.publicKeyFiles.isEmpty || jwt.jwksFile != nil || jwt.jwksURL != nil
        guard asymmetric, jwt.audiences.isEmpty else { return }
        logger.warning(
            "public keys (jwt-public-key-file, jwt-jwks-file or jwt-jwks-url) are configured without jwt-audience: tokens issued for any audience are accepted"
        )
    }

    /// One application per listener: each accepts at most `connectionLimit` connections at
    /// once (Hummingbird's `MaximumAvailableConnections` stops reading the listening socket,
    /// so further connections wait in the listen backlog) and is handed to `prepareListener`
    /// once bound. The limit is checked between reads of the listening socket, and one read
    /// accepts up to NIO's `maxMessagesPerRead` (4) connections, so a burst can pass it by a
    /// few. Signaling sockets are connections of the API listeners and count against it.
    private static func services(
        _ core: GatewayCore, signals: SignalRoutes, tls: TLSConfiguration?,
        prepareListener: @escaping @Sendable (any Channel) async -> Void
    ) throws(GatewayConfigurationError) -> [any Service] {
        let configuration = core.startConfiguration
        let decoder = HTTP1Channel.Configuration.DecoderConfiguration(
            maxHeaderFieldSize: Self.maximumHeaderBytes, maxHeaderListSize: Self.maximumHeaderBytes, maxHeaderFieldCount: 100)
        let http1 = HTTP1Channel.Configuration(idleTimeout: .seconds(Self.idleTimeoutSeconds), httpDecoderConfiguration: decoder)
        let http = HTTPServerBuilder.http1(configuration: http1)
        let api = configuration.signaling.map { signaling in
            let webSocket = WebSocketServerConfiguration(
                maxFrameSize: signaling.frameLimitBytes, autoPing: .enabled(timePeriod: .seconds(signaling.pingIntervalSeconds)),
                closeTimeout: .seconds(Self.closeTimeoutSeconds), validateUTF8: true)
            return HTTPServerBuilder.http1WebSocketUpgrade(
                webSocketRouter: signals.webSocketRouter(), configuration: .init(http1: http1, ws: webSocket))
        } ?? http
        let apiServer: HTTPServerBuilder
        let adminServer: HTTPServerBuilder
        do {
            apiServer = try tls.map { try HTTPServerBuilder.tls(api, tlsConfiguration: $0) } ?? api
            adminServer = try tls.map { try HTTPServerBuilder.tls(http, tlsConfiguration: $0) } ?? http
        } catch {
            throw .init("api-cert/api-pkey: cannot set up TLS: \(error)")
        }
        var listeners = [(GatewayRouter.api(core, signals: signals).buildResponder(), configuration.port, apiServer)]
        if let adminPort = configuration.adminPort, let admin = GatewayRouter.admin(core) {
            listeners.append((admin.buildResponder(), adminPort, adminServer))
        }
        var services: [any Service] = []
        for (responder, port, server) in listeners {
            for host in configuration.listeningAddresses {
                let application = ApplicationConfiguration(
                    address: .hostname(host, port: port), serverName: nil,
                    availableConnectionsDelegate: .maximum(configuration.connectionLimit, logger: core.logger))
                let listener = Application(
                    responder: responder, server: server, configuration: application, onServerRunning: prepareListener,
                    logger: core.logger)
                let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
                services.append(GatewayListenerService(application: listener, address: address))
            }
        }
        services.append(JWKSRefreshService(core: core))
        return services
    }

    /// Seconds a closing WebSocket waits for the client's close frame.
    static let closeTimeoutSeconds: Int64 = 5
    /// Seconds an idle HTTP connection is kept open.
    static let idleTimeoutSeconds: Int64 = 30
    /// The largest request header field, and all header fields together, in bytes.
    static let maximumHeaderBytes = 16 * 1024
}
