/// A snapshot of a ``RedisSubscriber``'s state, readable at any time without blocking.
public struct RedisSubscriberHealth: Sendable, Hashable {
    /// Whether the subscriber's connection is open.
    public var isConnected: Bool
    /// Whether the server has confirmed every channel and pattern on the current connection.
    public var isSubscribed: Bool
    /// The most recent failure.
    public var lastError: RedisError?
    /// Successful connects so far; more than one means it reconnected (and resubscribed).
    public var connects: Int
    /// Messages delivered to ``RedisSubscriber/messages``.
    public var messagesDelivered: Int
    /// Whether ``RedisSubscriber/shutdown()`` has been called.
    public var isShutDown: Bool

    static let initial = RedisSubscriberHealth(
        isConnected: false, isSubscribed: false, lastError: nil, connects: 0, messagesDelivered: 0, isShutDown: false)
}
