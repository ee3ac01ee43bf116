import Foundation
import Hummingbird
import HummingbirdWebSocket

/// The signaling endpoints (docs/signaling.md): `GET /v1/signal` and Socket.IO's
/// `GET /socket.io/?EIO=4&transport=websocket`.
///
/// An upgrade request goes through ``webSocketRouter()``. Its admission check runs the
/// listener's rules (IP ranges, origin, per-client rate limit); the WebSocket library answers a
/// refused upgrade with an empty 400, so a refused request is upgraded instead and given its
/// error as a signaling `error` message before the socket closes, which browsers can read (they
/// hide a failed handshake's status). A request without `Upgrade: websocket` reaches the API
/// router, where ``register(on:)`` answers it with a JSON error.
struct SignalRoutes: Sendable {
    let core: GatewayCore
    let hub: SignalHub

    static let plainPath = GatewayRoutes.signal
    static let socketIOPath = GatewayRoutes.socketIO

    /// The router the WebSocket upgrade consults: every signaling upgrade is accepted, and
    /// admitted or refused once upgraded.
    func webSocketRouter() -> Router<GatewayRequestContext> {
        let router = Router(context: GatewayRequestContext.self)
        for (path, framing) in [(Self.plainPath, SignalFraming.plain), (Self.socketIOPath, .socketIO)] {
            router.ws(RouterPath(path)) { inbound, outbound, context in
                let settings = self.core.settings.configuration.signaling ?? SignalSettings()
                let socket = SignalSocket(
                    framing: framing, client: context.requestContext.clientLabel, opened: self.core.clock.now(),
                    metrics: self.hub.metrics)
                let refusal: SignalError?
                do throws(GatewayError) {
                    try self.admit(context.request, context.requestContext, framing: framing)
                    refusal = nil
                } catch {
                    refusal = SignalError(refusal: error)
                }
                let connection = SignalConnection(
                    hub: self.hub, core: self.core, socket: socket, channel: context.requestContext.channel, settings: settings)
                await connection.run(inbound: inbound, outbound: outbound, refusal: refusal)
            }
        }
        return router
    }

    /// The answers of the API router to signaling requests without `Upgrade: websocket`.
    func register(on router: Router<GatewayRequestContext>) {
        for (path, framing) in [(Self.plainPath, SignalFraming.plain), (Self.socketIOPath, .socketIO)] {
            router.get(RouterPath(path)) { request, context -> Response in
                try self.check(request, framing: framing)
                throw GatewayError.webSocketRequired
            }
        }
    }

    /// Whether an upgraded socket may stay: the IP rules, signaling on, Socket.IO's query, the
    /// origin, the rate.
    private func admit(_ request: Request, _ context: GatewayRequestContext, framing: SignalFraming) throws(GatewayError) {
        let configuration = self.core.settings.configuration
        guard IPFilterMiddleware.permits(context.clientIP, allowed: configuration.allowedRanges, denied: configuration.deniedRanges)
        else {
            self.core.security.event(.ipDenied, reason: "ip_rule", client: context.clientLabel)
            throw .ipDenied
        }
        try self.check(request, framing: framing)
        let settings = self.core.settings
        guard let decision = settings.limiters?.ip.acquire(context.rateLimitKey, now: self.core.clock.now()), !decision.allowed else {
            return
        }
        self.core.metrics.rateLimited(.ip)
        self.core.security.event(.rateLimited, reason: "signal_upgrade", client: context.clientLabel)
        throw .rateLimited(retryAfterSeconds: decision.retryAfterSeconds ?? 1)
    }

    /// The checks without side effects: signaling on, Engine.IO v4 over WebSocket, the origin.
    private func check(_ request: Request, framing: SignalFraming) throws(GatewayError) {
        let settings = self.core.settings
        guard settings.configuration.signaling != nil else { throw .notFound }
        if framing == .socketIO {
            let query = request.uri.queryParameters
            guard query.get("EIO") == "4", query.get("transport") == "websocket" else { throw .webSocketOnly }
        }
        guard Self.originAllowed(request.headers[.origin], host: request.head.authority, origins: settings.corsOrigins) else {
            throw .originNotAllowed
        }
    }

    /// A browser's `Origin` must be the gateway's own (the ICE test page) or an
    /// `api-cors-origin`; clients that send none (not browsers) pass.
    static func originAllowed(_ origin: String?, host: String?, origins: Set<String>) -> Bool {
        guard let origin else { return true }
        if CORSMiddleware.allowedOrigin(origin, in: origins) != nil { return true }
        guard let host, let url = URL(string: origin), let originHost = url.host else { return false }
        let originAuthority = url.port.map { "\(Self.bracketed(originHost)):\($0)" } ?? Self.bracketed(originHost)
        return originAuthority.lowercased() == host.lowercased()
    }

    private static func bracketed(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }
}
