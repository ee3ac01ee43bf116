import Hummingbird

/// Adds `Cache-Control: no-store` to every answer of the routes it wraps (credentials and the
/// admin API), errors included: a credential or an allocation list must not be cached by a
/// browser or proxy (RFC 9111 Section 5.2.2.5).
struct NoStoreMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    static let fields: HTTPFields = [.cacheControl: "no-store"]

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            var response = try await next(request, context)
            response.headers.append(contentsOf: Self.fields)
            return response
        } catch let error as GatewayError {
            throw error.adding(Self.fields)
        }
    }
}
