import Hummingbird

/// Refuses clients outside the allowed ranges or inside the denied ones (403 `ip_denied`),
/// on every route but the health checks.
///
/// Denied ranges are checked first. A client whose address is unknown (no IP socket) passes
/// only when no allowed range is configured.
struct IPFilterMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let allowed: [CIDRRange]
    let denied: [CIDRRange]
    let security: SecurityLog

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard GatewayRoutes.isHealthCheck(request.uri.path) || self.permits(context.clientIP) else {
            self.security.event(.ipDenied, reason: "ip_rule", client: context.clientLabel)
            throw GatewayError.ipDenied
        }
        return try await next(request, context)
    }

    /// Whether the rules let `clientIP` in.
    func permits(_ clientIP: String?) -> Bool {
        guard let clientIP, let address = IPAddressBytes.parse(clientIP) else { return self.allowed.isEmpty }
        if self.denied.contains(where: { $0.contains(address) }) { return false }
        return self.allowed.isEmpty || self.allowed.contains { $0.contains(address) }
    }
}
