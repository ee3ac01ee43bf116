import Hummingbird

/// Builds the gateway's routers; `Gateway` and the tests share these functions.
enum GatewayRouter {
    /// The API listener's router: credentials, health, metrics, and the admin API when it has
    /// no port of its own.
    static func api(_ core: GatewayCore) -> Router<GatewayRequestContext> {
        let router = Self.base(core)
        CredentialRoutes(core: core).register(on: router)
        HealthRoutes(core: core).register(on: router)
        if let digest = core.adminTokenDigest, core.configuration.adminPort == nil {
            AdminRoutes(core: core).register(on: router, tokenDigest: digest)
        }
        return router
    }

    /// The admin listener's router (`admin-listening-port`); nil when the admin API is off or
    /// served on the API listener.
    static func admin(_ core: GatewayCore) -> Router<GatewayRequestContext>? {
        guard let digest = core.adminTokenDigest, core.configuration.adminPort != nil else { return nil }
        let router = Self.base(core)
        AdminRoutes(core: core).register(on: router, tokenDigest: digest)
        return router
    }

    /// A router with the middleware every listener has, outermost first: metrics, CORS, JSON
    /// errors, IP rules, body limit.
    private static func base(_ core: GatewayCore) -> Router<GatewayRequestContext> {
        let router = Router(context: GatewayRequestContext.self)
        let configuration = core.configuration
        router.add(middleware: MetricsMiddleware(metrics: core.metrics))
        if !configuration.corsOrigins.isEmpty {
            router.add(middleware: CORSMiddleware(origins: Set(configuration.corsOrigins)))
        }
        router.add(middleware: ErrorMiddleware(logger: core.logger))
        router.add(middleware: IPFilterMiddleware(allowed: configuration.allowedRanges, denied: configuration.deniedRanges, security: core.security))
        router.add(middleware: BodyLimit())
        return router
    }
}
