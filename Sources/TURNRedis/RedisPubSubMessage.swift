/// A message received by a ``RedisSubscriber``.
///
/// From `SUBSCRIBE`: `["message", channel, payload]`; from `PSUBSCRIBE`:
/// `["pmessage", pattern, channel, payload]`, where ``pattern`` records the matching pattern.
/// See <https://redis.io/docs/latest/develop/interact/pubsub/>.
public struct RedisPubSubMessage: Sendable, Hashable {
    /// The channel the message was published to.
    public var channel: String
    /// The payload, binary-safe.
    public var message: [UInt8]
    /// The pattern that matched, for messages delivered through `PSUBSCRIBE`.
    public var pattern: String?

    /// Creates a message.
    public init(channel: String, message: [UInt8], pattern: String? = nil) {
        self.channel = channel
        self.message = message
        self.pattern = pattern
    }

    /// Decodes a pushed reply; `nil` for anything that is not a message (confirmations, pongs).
    init?(pushed reply: RedisReply) {
        guard let parts = reply.array, let kind = parts.first?.text else { return nil }
        switch (kind, parts.count) {
        case ("message", 3):
            guard let channel = parts[1].text, let payload = parts[2].bytes else { return nil }
            self.init(channel: channel, message: payload)
        case ("pmessage", 4):
            guard let pattern = parts[1].text, let channel = parts[2].text, let payload = parts[3].bytes else {
                return nil
            }
            self.init(channel: channel, message: payload, pattern: pattern)
        default:
            return nil
        }
    }
}
