import Foundation
import Hummingbird

/// Counts every request by route template and status and records its duration.
///
/// The route is the matched template (e.g. `/v1/turn/credentials`) or `other`; it is never
/// taken from the request's path, so labels stay bounded.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let metrics: GatewayMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let route = GatewayRoutes.label(for: context.endpointPath)
        self.metrics.request(route: route, status: response.status.code, duration: ContinuousClock.now - start)
        return response
    }
}
