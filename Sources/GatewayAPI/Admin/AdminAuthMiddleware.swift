import Crypto
import Hummingbird

/// Requires `Authorization: Bearer <admin token>` (401 `invalid_admin_token` otherwise).
///
/// The SHA-256 digests of the given and the configured token are compared in constant time, so
/// neither the content nor the length of the admin token leaks through timing.
struct AdminAuthMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let expectedDigest: [UInt8]
    let security: SecurityLog

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let token = try? TokenVerifier.bearerToken(request.headers[.authorization]) else {
            self.security.event(.adminAuthFailed, reason: "missing_token", client: context.clientLabel)
            throw GatewayError.invalidAdminToken
        }
        guard Self.isEqual(Array(SHA256.hash(data: Array(token.utf8))), self.expectedDigest) else {
            self.security.event(.adminAuthFailed, reason: "wrong_token", client: context.clientLabel)
            throw GatewayError.invalidAdminToken
        }
        return try await next(request, context)
    }

    /// Whether two digests are equal, in time that depends only on their lengths.
    static func isEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) { difference |= left ^ right }
        return difference == 0
    }
}
