/// The signaling service's limits (docs/signaling.md, "Limits and keep-alive").
public struct SignalSettings: Sendable, Hashable {
    /// A token without a `roomId` claim may join any room (`signal-open-rooms`).
    public var openRooms: Bool
    /// Peers per room, cluster-wide with Redis (`signal-room-max-peers`).
    public var roomMaxPeers: Int
    /// Bytes per message (`signal-max-message-size`); a message four times larger is not read.
    public var maxMessageBytes: Int
    /// Messages per second per connection (`signal-message-rate`), with a burst of twice that.
    public var messageRate: Int
    /// Sockets per user on one node (`signal-user-connections`).
    public var userConnections: Int
    /// Seconds a new socket has to send `authenticate` (`signal-auth-timeout`).
    public var authTimeoutSeconds: Int
    /// Seconds between keep-alive pings (`signal-ping-interval`).
    public var pingIntervalSeconds: Int

    /// Creates settings with the documented defaults for everything not given.
    public init(
        openRooms: Bool = false,
        roomMaxPeers: Int = 16,
        maxMessageBytes: Int = 65_536,
        messageRate: Int = 50,
        userConnections: Int = 10,
        authTimeoutSeconds: Int = 10,
        pingIntervalSeconds: Int = 25
    ) {
        self.openRooms = openRooms
        self.roomMaxPeers = roomMaxPeers
        self.maxMessageBytes = maxMessageBytes
        self.messageRate = messageRate
        self.userConnections = userConnections
        self.authTimeoutSeconds = authTimeoutSeconds
        self.pingIntervalSeconds = pingIntervalSeconds
    }

    /// The largest message read at all: bigger ones close the socket with 1009.
    var frameLimitBytes: Int { self.maxMessageBytes * 4 }
}
