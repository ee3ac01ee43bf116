package import Hummingbird
import NIOCore

/// An error answer of the gateway: a status, a code from docs/gateway.md ("Errors") and the
/// JSON body `{"error": "<code>", "message": "<text>"}`.
///
/// Messages are fixed texts: they never echo a token, a secret or other request data.
/// Errors are equal when their codes are.
package struct GatewayError: HTTPResponseError, Hashable, Sendable {
    /// The error code written in the body.
    package var code: String
    /// The HTTP status.
    package var status: HTTPResponse.Status
    /// A short explanation for people.
    package var message: String
    /// Extra response headers (`WWW-Authenticate`, `Retry-After`, rate-limit headers).
    package var headers: HTTPFields

    /// Creates an error.
    package init(code: String, status: HTTPResponse.Status, message: String, headers: HTTPFields = [:]) {
        self.code = code
        self.status = status
        self.message = message
        self.headers = headers
    }

    /// Whether the codes are equal.
    package static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    /// Hashes the code.
    package func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    /// The error with `fields` added to its headers.
    func adding(_ fields: HTTPFields) -> Self {
        var copy = self
        copy.headers.append(contentsOf: fields)
        return copy
    }

    /// The JSON error response.
    package func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(status: self.status, body: Body(error: self.code, message: self.message), headers: self.headers)
    }

    private struct Body: Encodable {
        var error: String
        var message: String
    }
}

extension GatewayError {
    static let badRequest = GatewayError(code: "bad_request", status: .badRequest, message: "malformed request body or query")
    static let notFound = GatewayError(code: "not_found", status: .notFound, message: "no such endpoint")
    static let bodyTooLarge = GatewayError(code: "body_too_large", status: .contentTooLarge, message: "request body over 16 KiB")
    static let ipDenied = GatewayError(code: "ip_denied", status: .forbidden, message: "client address not allowed")
    static let roomNotAllowed = GatewayError(code: "room_not_allowed", status: .forbidden, message: "roomId differs from the token's room")
    static let noMediaPermission = GatewayError(
        code: "no_media_permission", status: .forbidden, message: "the token's permissions name no bandwidth class")
    static let revoked = GatewayError(code: "revoked", status: .forbidden, message: "credentials for this user or room are revoked")
    static let usernameMismatch = GatewayError(
        code: "username_mismatch", status: .forbidden, message: "username differs from the token's user")
    static let timeout = GatewayError(code: "timeout", status: .serviceUnavailable, message: "request took too long")
    static let internalError = GatewayError(code: "internal_error", status: .internalServerError, message: "internal error")
    static let usernameTooLong = GatewayError(
        code: "bad_request", status: .badRequest, message: "the minted user name would exceed 509 bytes (RFC 8489 Section 14.3)")
    static let controlCharacter = GatewayError(
        code: "control_character", status: .badRequest, message: "the user or room holds a control character")
    static let invalidAdminToken = GatewayError(
        code: "invalid_admin_token", status: .unauthorized, message: "missing or wrong admin token",
        headers: [.wwwAuthenticate: "Bearer realm=\"turngate-admin\""])

    static let webSocketRequired = GatewayError(
        code: "websocket_required", status: .badRequest, message: "signaling needs a WebSocket upgrade (docs/signaling.md)")
    static let webSocketOnly = GatewayError(
        code: "websocket_only", status: .badRequest, message: "Socket.IO is served over WebSocket only: EIO=4&transport=websocket")
    static let originNotAllowed = GatewayError(
        code: "origin_not_allowed", status: .forbidden, message: "the Origin is not an api-cors-origin")

    static func rateLimited(retryAfterSeconds: Int) -> GatewayError {
        GatewayError(
            code: "rate_limited", status: .tooManyRequests, message: "too many requests",
            headers: [.retryAfter: String(retryAfterSeconds)])
    }
}
