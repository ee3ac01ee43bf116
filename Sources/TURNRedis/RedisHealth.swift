/// A snapshot of a ``RedisClient``'s connection state, readable at any time without blocking.
///
/// Feed it to the health endpoint and a gauge; ``lastError`` carries no secret.
public struct RedisHealth: Sendable, Hashable {
    /// Whether a connection is open (as of the last command or connect attempt).
    public var isConnected: Bool
    /// The most recent failure, kept after recovery so operators can see what happened.
    public var lastError: RedisError?
    /// Consecutive failed connect attempts; 0 while connected.
    public var consecutiveFailures: Int
    /// When the next reconnect may be tried; `nil` when it may be tried at once.
    public var nextAttempt: ContinuousClock.Instant?
    /// Successful connects so far, including the first; more than one means reconnects happened.
    public var connects: Int
    /// Whether ``RedisClient/shutdown()`` has been called.
    public var isShutDown: Bool

    /// The state of a client that has not connected yet.
    public static let initial = RedisHealth(
        isConnected: false, lastError: nil, consecutiveFailures: 0, nextAttempt: nil, connects: 0, isShutDown: false)
}
