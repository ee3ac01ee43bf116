extension TURNServerConfiguration {
    /// The gateway's WebSocket signaling (docs/signaling.md, "Limits and keep-alive").
    public struct Signaling: Hashable, Sendable {
        /// `no-signaling` turns it off.
        public var enabled = true
        /// `signal-open-rooms`: a token without a `roomId` claim may join any room.
        public var openRooms = false
        /// `signal-room-max-peers`: peers per room (16).
        public var roomMaxPeers = 16
        /// `signal-max-message-size`: bytes per message (65536).
        public var maxMessageSize = 65_536
        /// `signal-message-rate`: messages per second per connection (50).
        public var messageRate = 50
        /// `signal-user-connections`: sockets per user on one node (10).
        public var userConnections = 10
        /// `signal-auth-timeout`: seconds to send `authenticate` (10).
        public var authTimeout = 10
        /// `signal-ping-interval`: seconds between keep-alive pings (25).
        public var pingInterval = 25

        /// Creates the defaults.
        public init() {}

        static let roomMaxPeersRange = 2...1_000
        static let maxMessageSizeRange = 1_024...1_048_576
        static let messageRateRange = 1...10_000
        static let userConnectionsRange = 1...10_000
        static let authTimeoutRange = 1...300
        static let pingIntervalRange = 1...3_600
    }
}
