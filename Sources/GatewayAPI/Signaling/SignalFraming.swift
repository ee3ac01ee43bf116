/// How a socket frames messages: plain JSON objects (`/v1/signal`), or Socket.IO v4 events over
/// Engine.IO v4 (`/socket.io/`).
enum SignalFraming: Sendable, Hashable {
    case plain
    case socketIO

    /// The text frame that carries `event` on this framing: the JSON object itself, or a
    /// Socket.IO EVENT packet (`42["name",{…}]`) in an Engine.IO MESSAGE packet.
    func text(of event: SignalEvent) -> String {
        switch self {
        case .plain: event.json
        case .socketIO: "42[\(SignalJSON.string(event.name).text),\(event.json)]"
        }
    }
}
