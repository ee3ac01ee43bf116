import Hummingbird
import IPAddressing

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
    ///
    /// The client's address is the socket's, so a zone identifier is dropped; IPv4-mapped
    /// addresses and ranges are compared as IPv4, so `10.0.0.0/8` holds a client that a
    /// dual-stack listener reports as `::ffff:10.1.2.3`.
    static func permits(_ clientIP: String?, allowed: [IPAddressRange], denied: [IPAddressRange]) -> Bool {
        guard let clientIP, let address = try? IPAddress(parsing: clientIP, zoneIdentifiers: .ignored).unmapped else {
            return allowed.isEmpty
        }
        if denied.contains(where: { $0.unmapped.contains(address) }) { return false }
        return allowed.isEmpty || allowed.contains { $0.unmapped.contains(address) }
    }
}
