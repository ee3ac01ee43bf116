import CHiredis

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One hiredis context: a blocking TCP connection to Redis.
///
/// Not `Sendable`: a connection is created, used and freed on one thread, the dedicated
/// `NIOThreadPool` thread of a ``RedisClient`` or ``RedisSubscriber``, never on an event loop
/// (DESIGN.md, TURNRedis). Every command goes through `redisCommandArgv`, the binary-safe and
/// only non-variadic entry point of hiredis 0.14; each reply is converted into a ``RedisReply``
/// and freed at once. `redisFree` runs in `deinit`.
///
/// Once a call fails at the connection level (I/O error, EOF, timeout, protocol error) hiredis
/// marks the context as failed for good: ``isBroken`` becomes `true` and the owner discards it.
public final class RedisConnection {
    private let context: UnsafeMutablePointer<redisContext>
    /// The configuration this connection was opened with.
    public let configuration: RedisConnectionConfiguration
    /// Whether the context has failed and must be replaced.
    public private(set) var isBroken = false

    /// Connects, then sends `AUTH` and `SELECT` as the configuration asks.
    ///
    /// Blocks for up to ``RedisConnectionConfiguration/connectTimeout`` plus two command timeouts.
    ///
    /// - Parameter configuration: Where to connect and how.
    /// - Throws: ``RedisError`` with ``RedisError/Code/connectionFailed``,
    ///   ``RedisError/Code/authenticationFailed`` or ``RedisError/Code/serverError``.
    public init(connectingTo configuration: RedisConnectionConfiguration) throws(RedisError) {
        RedisThread.blockSIGPIPE()
        guard let context = redisConnectWithTimeout(
            configuration.host, Int32(clamping: configuration.port), timeval(configuration.connectTimeout))
        else {
            throw RedisError(.connectionFailed, "cannot allocate a hiredis context for \(configuration.endpoint)")
        }
        if context.pointee.err != 0 {
            let reason = Self.errorString(context)
            redisFree(context)
            throw RedisError(.connectionFailed, "\(reason) (\(configuration.endpoint))")
        }
        self.context = context
        self.configuration = configuration
        guard redisSetTimeout(context, timeval(configuration.commandTimeout)) == REDIS_OK else {
            throw RedisError(.connectionFailed, "cannot set the command timeout (\(configuration.endpoint))")
        }
        try self.authenticateAndSelect()
    }

    deinit {
        redisFree(self.context)
    }

    /// Runs one command and returns its converted reply.
    ///
    /// An error reply (`-ERR ...`) is returned as ``RedisReply/error(_:)``; only connection-level
    /// failures throw.
    ///
    /// - Parameter arguments: The command and its arguments, each binary-safe.
    /// - Returns: The reply.
    /// - Throws: ``RedisError`` (``RedisError/Code/timeout``, ``RedisError/Code/connectionLost``,
    ///   ``RedisError/Code/protocolError``, ``RedisError/Code/replyTooLarge``,
    ///   ``RedisError/Code/invalidArgument``).
    public func command(_ arguments: [[UInt8]]) throws(RedisError) -> RedisReply {
        guard !self.isBroken else {
            throw RedisError(.connectionLost, "connection to \(self.configuration.endpoint) already failed")
        }
        guard !arguments.isEmpty, arguments.count < Int(Int32.max) else {
            throw RedisError(.invalidArgument, "a command needs 1 to \(Int32.max) arguments")
        }
        RedisThread.blockSIGPIPE()
        let raw = RedisArgv.withArgv(arguments) { argv, lengths in
            redisCommandArgv(self.context, Int32(arguments.count), argv, lengths)
        }
        guard let raw else { throw self.failure() }
        return try self.convert(raw)
    }

    /// Runs one command given as strings (UTF-8).
    ///
    /// - Parameter arguments: The command and its arguments.
    /// - Returns: The reply.
    /// - Throws: As ``command(_:)-([[UInt8]])``.
    public func command(_ arguments: [String]) throws(RedisError) -> RedisReply {
        try self.command(arguments.map { Array($0.utf8) })
    }

    /// Waits up to `timeoutMilliseconds` for the next pushed reply (pub/sub), without blocking
    /// longer than that when nothing arrives.
    ///
    /// A reply already parsed into hiredis's buffer is returned at once; otherwise `poll(2)` waits
    /// for the socket to become readable, and `redisGetReply` reads (bounded by the command
    /// timeout if a reply arrives only partly).
    ///
    /// - Parameter timeoutMilliseconds: How long to wait for data.
    /// - Returns: The reply, or `nil` if none arrived in time.
    /// - Throws: ``RedisError`` when the connection fails.
    func nextPushedReply(timeoutMilliseconds: Int32) throws(RedisError) -> RedisReply? {
        guard !self.isBroken else {
            throw RedisError(.connectionLost, "connection to \(self.configuration.endpoint) already failed")
        }
        RedisThread.blockSIGPIPE()
        var raw: UnsafeMutableRawPointer? = nil
        guard redisGetReplyFromReader(self.context, &raw) == REDIS_OK else { throw self.failure() }
        if raw == nil {
            var descriptor = pollfd(fd: self.context.pointee.fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, timeoutMilliseconds)
            if ready == 0 || (ready < 0 && errno == EINTR) { return nil }
            guard ready > 0 else {
                self.isBroken = true
                throw RedisError(.connectionLost, "poll failed with errno \(errno) (\(self.configuration.endpoint))")
            }
            guard redisGetReply(self.context, &raw) == REDIS_OK else { throw self.failure() }
        }
        guard let raw else { return nil }
        return try self.convert(raw)
    }

    private func convert(_ raw: UnsafeMutableRawPointer) throws(RedisError) -> RedisReply {
        defer { freeReplyObject(raw) }
        do {
            return try RedisReply(
                converting: raw.assumingMemoryBound(to: redisReply.self), limits: self.configuration.replyLimits)
        } catch {
            // The rest of the stream cannot be trusted after a refused reply.
            self.isBroken = true
            throw error
        }
    }

    private func authenticateAndSelect() throws(RedisError) {
        if let password = self.configuration.password {
            let reply = try self.command([Array("AUTH".utf8), Array(password.value.utf8)])
            if let message = reply.errorMessage {
                throw RedisError(.authenticationFailed, "\(message) (\(self.configuration.endpoint))")
            }
        }
        if self.configuration.database != 0 {
            let reply = try self.command(["SELECT", String(self.configuration.database)])
            if let message = reply.errorMessage {
                throw RedisError(.serverError, "SELECT \(self.configuration.database): \(message)")
            }
        }
    }

    /// Marks the context broken and describes hiredis's error.
    private func failure() -> RedisError {
        self.isBroken = true
        let reason = Self.errorString(self.context)
        let endpoint = self.configuration.endpoint
        switch self.context.pointee.err {
        case REDIS_ERR_IO where errno == EAGAIN || errno == EWOULDBLOCK || reason.contains("temporarily unavailable"):
            return RedisError(.timeout, "no reply within \(self.configuration.commandTimeout) (\(endpoint))")
        case REDIS_ERR_PROTOCOL:
            return RedisError(.protocolError, "\(reason) (\(endpoint))")
        case REDIS_ERR_EOF:
            return RedisError(.connectionLost, "server closed the connection (\(endpoint))")
        default:
            return RedisError(.connectionLost, "\(reason.isEmpty ? "I/O error" : reason) (\(endpoint))")
        }
    }

    private static func errorString(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { buffer in
            let bytes = buffer.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}

@available(*, unavailable, message: "a RedisConnection is used on one thread; share a RedisClient instead")
extension RedisConnection: Sendable {}

extension timeval {
    /// A `timeval` for a non-negative duration (negative becomes zero).
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else {
            self.init(tv_sec: 0, tv_usec: 0)
            return
        }
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
