extension GatewayValidation {
    /// Peers per room accepted by `signal-room-max-peers`.
    static let signalRoomPeersRange = 2...1_000
    /// Bytes per message accepted by `signal-max-message-size`: 1 KiB to 1 MiB.
    static let signalMessageBytesRange = 1_024...1_048_576
    /// Messages per second accepted by `signal-message-rate`.
    static let signalMessageRateRange = 1...10_000
    /// Sockets per user accepted by `signal-user-connections`.
    static let signalUserConnectionsRange = 1...10_000
    /// Seconds accepted by `signal-auth-timeout`.
    static let signalAuthTimeoutRange = 1...300
    /// Seconds accepted by `signal-ping-interval`.
    static let signalPingIntervalRange = 1...3_600

    /// Checks every signaling limit against its range.
    static func checkSignaling(_ settings: SignalSettings) throws(GatewayConfigurationError) {
        let checks: [(String, Int, ClosedRange<Int>)] = [
            ("signal-room-max-peers", settings.roomMaxPeers, Self.signalRoomPeersRange),
            ("signal-max-message-size", settings.maxMessageBytes, Self.signalMessageBytesRange),
            ("signal-message-rate", settings.messageRate, Self.signalMessageRateRange),
            ("signal-user-connections", settings.userConnections, Self.signalUserConnectionsRange),
            ("signal-auth-timeout", settings.authTimeoutSeconds, Self.signalAuthTimeoutRange),
            ("signal-ping-interval", settings.pingIntervalSeconds, Self.signalPingIntervalRange),
        ]
        for (name, value, range) in checks where !range.contains(value) {
            throw .init("\(name): must be \(range.lowerBound) to \(range.upperBound), not \(value)")
        }
    }
}
