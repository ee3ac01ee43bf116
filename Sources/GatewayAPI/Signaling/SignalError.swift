/// An `error` message of docs/signaling.md: its code, a fixed text, and what follows it.
///
/// Texts never echo a token or other client data.
struct SignalError: Error, Sendable, Hashable {
    /// What the server does after sending the error.
    enum Consequence: Sendable, Hashable {
        /// The message is dropped; the socket stays open.
        case dropMessage
        /// The socket is closed with this WebSocket close code.
        case close(UInt16)
    }

    /// The error code, e.g. `room_full`.
    var code: String
    /// A short explanation for people.
    var message: String
    /// What follows.
    var consequence: Consequence

    /// Close code for authentication failures (token refused, expired, late).
    static let unauthenticatedCloseCode: UInt16 = 4401
    /// Close code for authorization refusals (room, revocation, limits).
    static let forbiddenCloseCode: UInt16 = 4403
    /// Close code for an upgrade over the per-client rate limit.
    static let rateLimitedCloseCode: UInt16 = 4429
    /// RFC 6455 Section 7.4.1: policy violation.
    static let policyViolationCloseCode: UInt16 = 1008

    /// Every code sent, for metrics created up front: the token codes and those below.
    static let allCodes: [String] =
        TokenRejection.all.map(\.code) + [
            "auth_timeout", "token-expired", "room_not_allowed", "revoked", "no_media_permission", "control_character",
            "room_full", "too_many_connections", "message_too_large", "rate_limited", "unknown_peer", "bad_message",
            "slow_consumer", "internal_error", "ip_denied", "origin_not_allowed", "websocket_only", "not_found",
        ]

    /// A refused token: its gateway code, closing with 4401.
    init(_ rejection: TokenRejection) {
        self.init(code: rejection.code, message: rejection.message, consequence: .close(Self.unauthenticatedCloseCode))
    }

    /// A refusal to mint the room's credentials: the gateway's code, closing with 4403.
    init(_ error: GatewayError) {
        self.init(code: error.code, message: error.message, consequence: .close(Self.forbiddenCloseCode))
    }

    /// An upgrade the listener's rules refuse: the gateway's code, closing with 4429 when rate
    /// limited, else 4403.
    init(refusal error: GatewayError) {
        let code = error.code == "rate_limited" ? Self.rateLimitedCloseCode : Self.forbiddenCloseCode
        self.init(code: error.code, message: error.message, consequence: .close(code))
    }

    init(code: String, message: String, consequence: Consequence) {
        self.code = code
        self.message = message
        self.consequence = consequence
    }

    static let authTimeout = Self(
        code: "auth_timeout", message: "no authenticate message in time", consequence: .close(unauthenticatedCloseCode))
    static let tokenExpired = Self(
        code: "token-expired", message: "the token has expired: reconnect with a fresh one",
        consequence: .close(unauthenticatedCloseCode))
    static let roomNotAllowed = Self(
        code: "room_not_allowed", message: "the token does not grant this room", consequence: .close(forbiddenCloseCode))
    static let revoked = Self(
        code: "revoked", message: "this user or room is revoked", consequence: .close(forbiddenCloseCode))
    static let roomFull = Self(
        code: "room_full", message: "the room has signal-room-max-peers peers already", consequence: .close(forbiddenCloseCode))
    static let tooManyConnections = Self(
        code: "too_many_connections", message: "the user has signal-user-connections sockets already",
        consequence: .close(forbiddenCloseCode))
    static let messageTooLarge = Self(
        code: "message_too_large", message: "the message is over signal-max-message-size", consequence: .dropMessage)
    static let rateLimited = Self(
        code: "rate_limited", message: "more messages than signal-message-rate allows", consequence: .dropMessage)
    static let unknownPeer = Self(code: "unknown_peer", message: "no such peer in the room", consequence: .dropMessage)
    static let slowConsumer = Self(
        code: "slow_consumer", message: "too many messages wait to be written to this socket",
        consequence: .close(policyViolationCloseCode))
    static let internalError = Self(
        code: "internal_error", message: "the room cannot be joined now", consequence: .close(1011))

    /// A malformed or misplaced message, with what was wrong with it.
    static func badMessage(_ message: String) -> Self {
        Self(code: "bad_message", message: message, consequence: .dropMessage)
    }
}
