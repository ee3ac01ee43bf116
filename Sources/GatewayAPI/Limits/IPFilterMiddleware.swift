import Hummingbird

/// Refuses clients outside the allowed ranges or inside the denied ones (403 `ip_denied`),
/// on every route but the health checks, with the ranges in force for this request.
///
/// Denied ranges are checked first. A client whose address is unknown (no IP socket) passes
/// only when no allowed range is configured. It runs before CORS, so a refused client learns
/// nothing about the allowed origins.
struct IPFilterMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let core: GatewayCore

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let configuration = self.core.settings.configuration
        guard GatewayRoutes.isHealthCheck(request.uri.path)
            || Self.permits(context.clientIP, allowed: configuration.allowedRanges, denied: configuration.deniedRanges)
        else {
            self.core.security.event(.ipDenied, reason: "ip_rule", client: context.clientLabel)
            throw GatewayError.ipDenied
        }
        return try await next(request, context)
    }

    /// Whether the rules let `clientIP` in.
    static func permits(_ clientIP: String?, allowed: [CIDRRange], denied: [CIDRRange]) -> Bool {
        guard let clientIP, let address = IPAddressBytes.parse(clientIP) else { return allowed.isEmpty }
        if denied.contains(where: { $0.contains(address) }) { return false }
        return allowed.isEmpty || allowed.contains { $0.contains(address) }
    }
}
