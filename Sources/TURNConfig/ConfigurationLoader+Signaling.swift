extension ConfigurationLoader {
    /// Sets one signaling option (`no-signaling`, `signal-*`; docs/signaling.md).
    mutating func setSignaling(_ setting: ConfigSetting, _ directive: ConfDirective) {
        typealias Signaling = TURNServerConfiguration.Signaling
        let seconds = "a number of seconds"
        switch setting {
        case .noSignaling:
            self.setFlag(directive, \.signaling.enabled, inverted: true)
        case .signalOpenRooms:
            self.setFlag(directive, \.signaling.openRooms)
        case .signalRoomMaxPeers:
            self.setValue(directive, \.signaling.roomMaxPeers) {
                ConfigValueParsers.wholeNumber($0, in: Signaling.roomMaxPeersRange, counting: "a number of peers")
            }
        case .signalMaxMessageSize:
            self.setValue(directive, \.signaling.maxMessageSize) {
                ConfigValueParsers.wholeNumber($0, in: Signaling.maxMessageSizeRange, counting: "a number of bytes")
            }
        case .signalMessageRate:
            self.setValue(directive, \.signaling.messageRate) {
                ConfigValueParsers.wholeNumber($0, in: Signaling.messageRateRange, counting: "a number of messages per second")
            }
        case .signalUserConnections:
            self.setValue(directive, \.signaling.userConnections) {
                ConfigValueParsers.wholeNumber($0, in: Signaling.userConnectionsRange, counting: "a number of connections")
            }
        case .signalAuthTimeout:
            self.setValue(directive, \.signaling.authTimeout) {
                ConfigValueParsers.wholeNumber($0, in: Signaling.authTimeoutRange, counting: seconds)
            }
        case .signalPingInterval:
            self.setValue(directive, \.signaling.pingInterval) {
                ConfigValueParsers.wholeNumber($0, in: Signaling.pingIntervalRange, counting: seconds)
            }
        default:
            break
        }
    }
}
