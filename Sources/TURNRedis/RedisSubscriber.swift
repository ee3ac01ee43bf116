public import Logging
import NIOPosix
import Synchronization

/// A dedicated Redis connection in subscriber mode, delivering published messages as an
/// `AsyncStream`.
///
/// It runs a blocking read loop on its own `NIOThreadPool` thread (never an event loop): it
/// connects (AUTH, SELECT), sends `SUBSCRIBE` for ``channels`` and `PSUBSCRIBE` for
/// ``patterns``, then waits for pushed replies in slices of `pollInterval` so that
/// ``shutdown()`` is noticed promptly. When the connection breaks it reconnects with
/// ``RedisBackoff`` and subscribes again; messages published while it was disconnected are lost
/// (Redis pub/sub is fire-and-forget), so users such as revocation must tolerate gaps, for
/// example by re-reading state after ``RedisSubscriberHealth/connects`` grows.
///
/// TurnGate uses it for revocation broadcasts and to consume coturn-style statsdb events
/// (`psubscribe turn/realm/*/user/*/allocation/*/status`, coturn `turndb/schema.stats.redis`).
///
/// The loop keeps the subscriber alive until ``shutdown()``: always call it.
public final class RedisSubscriber: Sendable {
    /// Messages in arrival order. Finishes after ``shutdown()``.
    public let messages: AsyncStream<RedisPubSubMessage>
    /// Channels subscribed with `SUBSCRIBE`.
    public let channels: [String]
    /// Patterns subscribed with `PSUBSCRIBE`.
    public let patterns: [String]
    let configuration: RedisConnectionConfiguration
    let backoff: RedisBackoff
    let pollInterval: Duration
    let logger: Logger
    let continuation: AsyncStream<RedisPubSubMessage>.Continuation
    let state = Mutex(RedisSubscriberHealth.initial)
    private let threadPool: NIOThreadPool

    /// Creates a subscriber and starts its thread at once.
    ///
    /// - Parameters:
    ///   - configuration: Where to connect. Its command timeout bounds the reading of one message.
    ///   - channels: Channels for `SUBSCRIBE`.
    ///   - patterns: Glob patterns for `PSUBSCRIBE`.
    ///   - backoff: Reconnect policy.
    ///   - pollInterval: How often the loop checks for shutdown while idle; 100 ms by default.
    ///   - bufferingPolicy: What the stream keeps when the consumer is slow; the newest 10,000
    ///     messages by default, so a stalled consumer cannot exhaust memory.
    ///   - logger: Receives connect and disconnect events.
    /// - Throws: ``RedisError`` with ``RedisError/Code/invalidArgument`` if both lists are empty.
    public init(
        configuration: RedisConnectionConfiguration, channels: [String], patterns: [String] = [],
        backoff: RedisBackoff = RedisBackoff(), pollInterval: Duration = .milliseconds(100),
        bufferingPolicy: AsyncStream<RedisPubSubMessage>.Continuation.BufferingPolicy = .bufferingNewest(10_000),
        logger: Logger
    ) throws(RedisError) {
        guard !channels.isEmpty || !patterns.isEmpty else {
            throw RedisError(.invalidArgument, "a subscriber needs at least one channel or pattern")
        }
        self.configuration = configuration
        self.channels = channels
        self.patterns = patterns
        self.backoff = backoff
        self.pollInterval = max(pollInterval, .milliseconds(1))
        self.logger = logger
        (self.messages, self.continuation) = AsyncStream.makeStream(bufferingPolicy: bufferingPolicy)
        self.threadPool = NIOThreadPool(numberOfThreads: 1)
        self.threadPool.start()
        self.threadPool.submit { workState in
            guard case .active = workState else { return }
            self.runLoop()
        }
    }

    deinit {
        if !self.state.withLock({ $0.isShutDown }) {
            self.state.withLock { $0.isShutDown = true }
            self.threadPool.shutdownGracefully { _ in }
            self.continuation.finish()
        }
    }

    /// The current state, without blocking on Redis.
    public var health: RedisSubscriberHealth { self.state.withLock { $0 } }

    /// Stops the loop (within one poll interval), closes the connection, stops the thread and
    /// finishes ``messages``. Calling it again does nothing.
    public func shutdown() async {
        let first = self.state.withLock { state in
            defer { state.isShutDown = true }
            return !state.isShutDown
        }
        guard first else { return }
        try? await self.threadPool.shutdownGracefully()
        self.continuation.finish()
    }

    var isStopping: Bool { self.state.withLock { $0.isShutDown } }
}
