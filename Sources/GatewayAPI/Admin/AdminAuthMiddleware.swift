import Crypto
import Hummingbird

/// Requires `Authorization: Bearer <admin token>` (401 `invalid_admin_token` otherwise), with
/// the token in force for this request; 404 `not_found` while no admin token is configured.
///
/// The SHA-256 digests of the given and the configured token are compared in constant time, so
/// neither the content nor the length of the admin token leaks through timing. A client (an
/// IPv6 client by its /64) that fails ``GatewayCore/adminFailureLimit`` times is answered 429
/// `rate_limited` without its token being looked at until the limit lets it try again.
struct AdminAuthMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let core: GatewayCore

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let expectedDigest = self.core.settings.adminTokenDigest else { throw GatewayError.notFound }
        let now = self.core.clock.now()
        let throttle = self.core.adminFailures.peek(context.rateLimitKey, now: now)
        guard throttle.allowed else {
            self.core.security.event(.adminThrottled, reason: "too_many_failures", client: context.clientLabel)
            throw GatewayError.rateLimited(retryAfterSeconds: throttle.retryAfterSeconds ?? 1)
        }
        let reason: String
        if let token = try? TokenVerifier.bearerToken(request.headers[.authorization]) {
            guard !Self.isEqual(Array(SHA256.hash(data: Array(token.utf8))), expectedDigest) else {
                return try await next(request, context)
            }
            reason = "wrong_token"
        } else {
            reason = "missing_token"
        }
        _ = self.core.adminFailures.acquire(context.rateLimitKey, now: now)
        self.core.security.event(.adminAuthFailed, reason: reason, client: context.clientLabel)
        throw GatewayError.invalidAdminToken
    }

    /// Whether two digests are equal, in time that depends only on their lengths.
    static func isEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) { difference |= left ^ right }
        return difference == 0
    }
}
