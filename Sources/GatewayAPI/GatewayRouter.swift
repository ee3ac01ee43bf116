import Hummingbird

/// Builds the gateway's routers; `Gateway` and the tests share these functions.
enum GatewayRouter {
    /// The API listener's router: credentials, health, metrics, the ICE test page (answering 404
    /// while `ice-test-page` is off), signaling requests that were not upgraded, and the admin
    /// API when it has no port of its own (answering 404 while no admin token is configured).
    static func api(_ core: GatewayCore, signals: SignalRoutes) -> Router<GatewayRequestContext> {
        let router = Self.base(core, cors: true)
        CredentialRoutes(core: core).register(on: router)
        signals.register(on: router)
        HealthRoutes(core: core).register(on: router)
        IceTestRoutes(core: core).register(on: router)
        if core.startConfiguration.adminPort == nil {
            AdminRoutes(core: core).register(on: router)
        }
        return router
    }

    /// The admin listener's router (`admin-listening-port`, which requires an admin token);
    /// nil when the admin API is served on the API listener.
    static func admin(_ core: GatewayCore) -> Router<GatewayRequestContext>? {
        guard core.startConfiguration.adminPort != nil else { return nil }
        let router = Self.base(core, cors: false)
        AdminRoutes(core: core).register(on: router)
        return router
    }

    /// A router with the middleware every listener has, outermost first: metrics, JSON
    /// errors, IP rules, CORS (API listener only), body limit.
    private static func base(_ core: GatewayCore, cors: Bool) -> Router<GatewayRequestContext> {
        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: core.metrics))
        router.add(middleware: ErrorMiddleware(logger: core.logger))
        router.add(middleware: IPFilterMiddleware(core: core))
        if cors { router.add(middleware: CORSMiddleware(core: core)) }
        router.add(middleware: BodyLimit())
        return router
    }
}
