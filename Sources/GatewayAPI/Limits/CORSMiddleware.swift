import Hummingbird

/// Cross-origin access for browsers (`api-cors-origin`), on the API listener only, with the
/// origins in force for this request.
///
/// A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) is answered 204
/// at once; it carries the `Access-Control-Allow-*` headers only when the origin is allowed.
/// Other responses to an allowed origin carry `Access-Control-Allow-Origin` and expose the
/// rate-limit headers. While any origin is configured, every response passing through gets
/// `Origin` appended to `Vary`, since its headers depend on it. Errors are turned into their
/// responses first, so error responses carry the headers too.
struct CORSMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let core: GatewayCore

    static let allowedMethods = "GET, POST, DELETE, OPTIONS"
    static let allowedHeaders = "Authorization, Content-Type"
    static let exposedHeaders = "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After"
    static let maxAgeSeconds = "600"

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let origins = self.core.settings.corsOrigins
        guard !origins.isEmpty else { return try await next(request, context) }
        let origin = request.headers[.origin]
        let allowedOrigin = Self.allowedOrigin(origin, in: origins)
        if request.method == .options, origin != nil, request.headers[.accessControlRequestMethod] != nil {
            var headers: HTTPFields = [.vary: "Origin"]
            if let allowedOrigin {
                headers[.accessControlAllowOrigin] = allowedOrigin
                headers[.accessControlAllowMethods] = Self.allowedMethods
                headers[.accessControlAllowHeaders] = Self.allowedHeaders
                headers[.accessControlMaxAge] = Self.maxAgeSeconds
            }
            return Response(status: .noContent, headers: headers)
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = try ErrorMiddleware(logger: self.core.logger).response(for: error, request: request, context: context)
        }
        if let allowedOrigin {
            response.headers[.accessControlAllowOrigin] = allowedOrigin
            response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
        }
        response.headers.append(HTTPFields.Element(name: .vary, value: "Origin"))
        return response
    }

    /// The `Access-Control-Allow-Origin` value for `origin`, or nil when it is not allowed.
    static func allowedOrigin(_ origin: String?, in origins: Set<String>) -> String? {
        guard let origin else { return nil }
        if origins.contains(origin) { return origin }
        return origins.contains("*") ? "*" : nil
    }
}
