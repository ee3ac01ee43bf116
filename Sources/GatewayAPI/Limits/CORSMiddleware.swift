import Hummingbird

/// Cross-origin access for browsers (`api-cors-origin`).
///
/// A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) is answered 204
/// at once; it carries the `Access-Control-Allow-*` headers only when the origin is allowed.
/// Other responses to an allowed origin carry `Access-Control-Allow-Origin` and expose the
/// rate-limit headers.
struct CORSMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let origins: Set<String>

    static let allowedMethods = "GET, POST, DELETE, OPTIONS"
    static let allowedHeaders = "Authorization, Content-Type"
    static let exposedHeaders = "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After"
    static let maxAgeSeconds = "600"

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let origin = request.headers[.origin]
        if request.method == .options, origin != nil, request.headers[.accessControlRequestMethod] != nil {
            var headers: HTTPFields = [.vary: "Origin"]
            if let allowedOrigin = self.allowedOrigin(origin) {
                headers[.accessControlAllowOrigin] = allowedOrigin
                headers[.accessControlAllowMethods] = Self.allowedMethods
                headers[.accessControlAllowHeaders] = Self.allowedHeaders
                headers[.accessControlMaxAge] = Self.maxAgeSeconds
            }
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        if let allowedOrigin = self.allowedOrigin(origin) {
            response.headers[.accessControlAllowOrigin] = allowedOrigin
            response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
            response.headers[.vary] = "Origin"
        }
        return response
    }

    /// The `Access-Control-Allow-Origin` value for `origin`, or nil when it is not allowed.
    func allowedOrigin(_ origin: String?) -> String? {
        guard let origin else { return nil }
        if self.origins.contains(origin) { return origin }
        return self.origins.contains("*") ? "*" : nil
    }
}
