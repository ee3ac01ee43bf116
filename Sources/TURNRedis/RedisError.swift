/// An error from the Redis layer: a stable ``Code`` plus a human-readable message.
///
/// Equality compares the code only, as `ASN1Error` and `CertificateError` do, so tests and callers
/// match on `RedisError.timeout` without caring about the text. Messages carry hiredis's `errstr`,
/// the server's error text, the host and port, or a connection-string key: never a password, a
/// command argument or a value read from Redis.
public struct RedisError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set (like NIO's `WebSocketOpcode`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case connectionFailed, connectionLost, timeout, protocolError, authenticationFailed
            case serverError, unexpectedReply, replyTooLarge, notConnected, shutdown
            case invalidConnectionString, invalidArgument
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// TCP connect (or name resolution) failed: refused, unreachable, connect timeout.
        public static let connectionFailed = Code(.connectionFailed)
        /// An established connection broke during a command (reset, EOF, write error).
        public static let connectionLost = Code(.connectionLost)
        /// The server did not answer within the command timeout (`redisSetTimeout`).
        public static let timeout = Code(.timeout)
        /// The bytes from the server were not valid RESP.
        public static let protocolError = Code(.protocolError)
        /// AUTH was refused (wrong password, or no password configured on the server).
        public static let authenticationFailed = Code(.authenticationFailed)
        /// The server answered a helper's command with an error reply.
        public static let serverError = Code(.serverError)
        /// The server's reply had a shape the helper does not expect.
        public static let unexpectedReply = Code(.unexpectedReply)
        /// The reply exceeded ``RedisReplyLimits``.
        public static let replyTooLarge = Code(.replyTooLarge)
        /// Redis is down and the next reconnect attempt is not due yet (backoff).
        public static let notConnected = Code(.notConnected)
        /// The client or subscriber has been shut down.
        public static let shutdown = Code(.shutdown)
        /// A `redis-userdb` / `redis-statsdb` connection string could not be parsed.
        public static let invalidConnectionString = Code(.invalidConnectionString)
        /// The caller passed an unusable argument (an empty command, a bad limit).
        public static let invalidArgument = Code(.invalidArgument)

        public var description: String { self.base.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// Details for operators; free of secrets.
    public let message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: Details; must not contain a password or command argument.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "RedisError.\(self.code): \(self.message)" }

    public static func == (lhs: RedisError, rhs: RedisError) -> Bool { lhs.code == rhs.code }

    public func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    /// A value with the given code, for `#expect(throws: RedisError.timeout)`-style matching.
    public static let connectionFailed = RedisError(.connectionFailed, "")
    /// See ``Code/connectionLost``.
    public static let connectionLost = RedisError(.connectionLost, "")
    /// See ``Code/timeout``.
    public static let timeout = RedisError(.timeout, "")
    /// See ``Code/authenticationFailed``.
    public static let authenticationFailed = RedisError(.authenticationFailed, "")
    /// See ``Code/serverError``.
    public static let serverError = RedisError(.serverError, "")
    /// See ``Code/unexpectedReply``.
    public static let unexpectedReply = RedisError(.unexpectedReply, "")
    /// See ``Code/replyTooLarge``.
    public static let replyTooLarge = RedisError(.replyTooLarge, "")
    /// See ``Code/notConnected``.
    public static let notConnected = RedisError(.notConnected, "")
    /// See ``Code/shutdown``.
    public static let shutdown = RedisError(.shutdown, "")
    /// See ``Code/invalidConnectionString``.
    public static let invalidConnectionString = RedisError(.invalidConnectionString, "")
    /// See ``Code/invalidArgument``.
    public static let invalidArgument = RedisError(.invalidArgument, "")
}
