import CoreMetrics

/// The signaling service's metrics (docs/signaling.md, "Metrics"); labels come from bounded
/// sets (message types, error codes), never a user, room or address.
final class SignalMetrics: Sendable {
    private let connections: Gauge
    private let rooms: Gauge
    private let messages: [String: Counter]
    private let rejections: [String: Counter]

    /// The `type` label values.
    static let messageTypes = ["authenticate", "signal", "invalid"]

    init(factory: any MetricsFactory) {
        self.connections = Gauge(label: "turngate_signal_connections", factory: factory)
        self.rooms = Gauge(label: "turngate_signal_rooms", factory: factory)
        self.messages = Dictionary(uniqueKeysWithValues: Self.messageTypes.map { type in
            (type, Counter(label: "turngate_signal_messages_total", dimensions: [("type", type)], factory: factory))
        })
        self.rejections = Dictionary(uniqueKeysWithValues: SignalError.allCodes.map { code in
            (code, Counter(label: "turngate_signal_rejections_total", dimensions: [("reason", code)], factory: factory))
        })
        self.connections.record(0)
        self.rooms.record(0)
    }

    /// The open sockets and the rooms with a local peer, now.
    func record(connections: Int, rooms: Int) {
        self.connections.record(connections)
        self.rooms.record(rooms)
    }

    /// A message of `type` (one of ``messageTypes``) was received.
    func message(_ type: String) { self.messages[type]?.increment() }

    /// An error was sent.
    func rejected(_ error: SignalError) { self.rejections[error.code]?.increment() }
}
