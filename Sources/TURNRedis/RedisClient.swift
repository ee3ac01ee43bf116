public import Logging
import NIOPosix
import Synchronization

/// A shared, `Sendable` Redis client with an async API, backed by one hiredis connection on one
/// dedicated `NIOThreadPool` thread.
///
/// hiredis blocks, so every call runs on the client's own thread, never on an event loop or the
/// cooperative pool (DESIGN.md, TURNRedis). Commands are serialised on that thread, in the order
/// they were submitted; for more throughput create a few clients (each has its own thread and
/// connection).
///
/// Reconnection is lazy and bounded: a command that finds the connection closed reconnects first;
/// after a failed connect, commands fail fast with ``RedisError/Code/notConnected`` until the
/// backoff delay (``RedisBackoff``, 100 ms doubling to 5 s with jitter) has passed. A command that
/// was in flight when the connection broke is not retried (it may not be idempotent): it throws,
/// and the next command reconnects. ``maintainConnection(every:)`` probes with PING so the
/// connection comes back, and ``health`` stays current, even when nothing else is sent.
///
/// Call ``shutdown()`` before dropping the last reference.
public final class RedisClient: Sendable {
    /// Where this client connects.
    public let configuration: RedisConnectionConfiguration
    private let backoff: RedisBackoff
    private let logger: Logger
    private let threadPool: NIOThreadPool
    /// The hiredis connection. Only the thread pool's single thread touches it; the mutex makes
    /// that exclusive access explicit and sound.
    private let connection = Mutex<RedisConnection?>(nil)
    private let state = Mutex(RedisHealth.initial)

    /// Creates a client and starts its thread. Connecting happens on the first command.
    ///
    /// - Parameters:
    ///   - configuration: Where and how to connect.
    ///   - backoff: Reconnect policy.
    ///   - logger: Receives connect and disconnect events (`turn.redis.*` keys); never a password.
    public init(configuration: RedisConnectionConfiguration, backoff: RedisBackoff = RedisBackoff(), logger: Logger) {
        self.configuration = configuration
        self.backoff = backoff
        self.logger = logger
        self.threadPool = NIOThreadPool(numberOfThreads: 1)
        self.threadPool.start()
    }

    deinit {
        // Only reached without shutdown(): stop the thread without waiting.
        if !self.state.withLock({ $0.isShutDown }) {
            self.threadPool.shutdownGracefully { _ in }
        }
    }

    /// The current connection state, without blocking on Redis.
    public var health: RedisHealth { self.state.withLock { $0 } }

    /// Whether a connection is open, without blocking on Redis.
    public var isConnected: Bool { self.state.withLock { $0.isConnected } }

    /// Runs a command given as UTF-8 strings.
    ///
    /// - Parameter arguments: The command and its arguments, for example `["GET", key]`.
    /// - Returns: The reply; an error reply is ``RedisReply/error(_:)``, not a throw.
    /// - Throws: ``RedisError`` for connection-level failures, or `CancellationError` if the task
    ///   was cancelled before the command was sent.
    public func command(_ arguments: [String]) async throws -> RedisReply {
        try await self.command(bytes: arguments.map { Array($0.utf8) })
    }

    /// Runs a binary-safe command.
    ///
    /// - Parameter arguments: The command and its arguments as bytes.
    /// - Returns: The reply.
    /// - Throws: As ``command(_:)``.
    public func command(bytes arguments: [[UInt8]]) async throws -> RedisReply {
        guard !arguments.isEmpty else { throw RedisError(.invalidArgument, "empty command") }
        guard !self.state.withLock({ $0.isShutDown }) else { throw Self.shutDownError }
        do {
            return try await self.threadPool.runIfActive { () throws(RedisError) -> RedisReply in
                try self.execute(arguments)
            }
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            throw Self.shutDownError
        }
    }

    /// Sends PING, reconnecting if needed; handy as a readiness probe.
    ///
    /// - Throws: ``RedisError`` when Redis cannot be reached or answers with an error.
    public func ping() async throws {
        let reply = try await self.command(["PING"])
        if let message = reply.errorMessage { throw RedisError(.serverError, "PING: \(message)") }
    }

    /// Keeps the connection up until the calling task is cancelled or the client is shut down.
    ///
    /// Sends PING every `interval` (sooner when a reconnect attempt falls due), so a lost
    /// connection is re-established with backoff and ``health`` reflects reality. Run it from the
    /// service that owns the client (the executable wraps it in a `Service`).
    ///
    /// - Parameter interval: Probe period; 1 s by default.
    public func maintainConnection(every interval: Duration = .seconds(1)) async {
        while !Task.isCancelled {
            let health = self.health
            if health.isShutDown { return }
            let now = ContinuousClock.now
            if health.nextAttempt.map({ $0 <= now }) ?? true {
                try? await self.ping()
            }
            var wait = interval
            if let next = self.health.nextAttempt, next > now, next - now < wait { wait = next - now }
            try? await Task.sleep(for: max(wait, .milliseconds(10)))
        }
    }

    /// Closes the connection and stops the thread. Later commands throw
    /// ``RedisError/Code/shutdown``; calling it again does nothing.
    public func shutdown() async {
        let first = self.state.withLock { state in
            defer { state.isShutDown = true; state.isConnected = false }
            return !state.isShutDown
        }
        guard first else { return }
        // Free the context on its own thread, after any command already queued.
        _ = try? await self.threadPool.runIfActive { self.connection.withLock { $0 = nil } }
        try? await self.threadPool.shutdownGracefully()
        self.logger.debug("Redis client shut down", metadata: ["turn.redis.endpoint": "\(self.configuration.endpoint)"])
    }

    private static let shutDownError = RedisError(.shutdown, "the Redis client has been shut down")
}

extension RedisClient {
    /// Runs on the pool thread: connects if needed (subject to backoff), then sends the command.
    private func execute(_ arguments: [[UInt8]]) throws(RedisError) -> RedisReply {
        try self.connection.withLock { (slot: inout RedisConnection?) throws(RedisError) -> RedisReply in
            if slot == nil { slot = try self.connect() }
            guard let connection = slot else { throw RedisError(.notConnected, "no connection") }
            do throws(RedisError) {
                return try connection.command(arguments)
            } catch {
                if connection.isBroken {
                    slot = nil
                    self.recordDisconnect(error)
                }
                throw error
            }
        }
    }

    private func connect() throws(RedisError) -> RedisConnection {
        let now = ContinuousClock.now
        let gate = self.state.withLock { state -> RedisError? in
            if state.isShutDown { return Self.shutDownError }
            guard let next = state.nextAttempt, now < next else { return nil }
            let reason = state.lastError.map { ": \($0.message)" } ?? ""
            return RedisError(.notConnected, "Redis at \(self.configuration.endpoint) is unreachable\(reason); retrying in \(next - now)")
        }
        if let gate { throw gate }
        do throws(RedisError) {
            let connection = try RedisConnection(connectingTo: self.configuration)
            let connects = self.state.withLock { state in
                state.isConnected = true
                state.consecutiveFailures = 0
                state.nextAttempt = nil
                state.connects += 1
                return state.connects
            }
            self.logger.info(
                "Connected to Redis",
                metadata: ["turn.redis.endpoint": "\(self.configuration.endpoint)", "turn.redis.connects": "\(connects)"])
            return connection
        } catch {
            let delay = self.state.withLock { state in
                state.isConnected = false
                state.lastError = error
                state.consecutiveFailures += 1
                let delay = self.backoff.delay(afterFailures: state.consecutiveFailures)
                state.nextAttempt = now + delay
                return delay
            }
            self.logger.warning(
                "Cannot connect to Redis",
                metadata: [
                    "turn.redis.endpoint": "\(self.configuration.endpoint)", "turn.error": "\(error)",
                    "turn.redis.retry_in": "\(delay)",
                ])
            throw error
        }
    }

    private func recordDisconnect(_ error: RedisError) {
        self.state.withLock { state in
            state.isConnected = false
            state.lastError = error
            state.nextAttempt = nil
        }
        self.logger.warning(
            "Lost the Redis connection",
            metadata: ["turn.redis.endpoint": "\(self.configuration.endpoint)", "turn.error": "\(error)"])
    }
}
