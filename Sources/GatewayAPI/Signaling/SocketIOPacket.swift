/// What a text frame of a Socket.IO v4 client means (Engine.IO protocol v4 packet types 0-6;
/// Socket.IO protocol v5 packet types 0-6 inside an Engine.IO MESSAGE).
///
/// Only the default namespace `/` is served; binary packets are refused.
enum SocketIOPacket: Sendable, Hashable {
    /// Engine.IO PONG (`3`): the answer to the server's ping.
    case pong
    /// Engine.IO PING (`2`) from the client (a probe): answered with this pong text.
    case ping(reply: String)
    /// Socket.IO CONNECT (`40`) to the default namespace.
    case connect
    /// Socket.IO CONNECT to another namespace: answered with a CONNECT_ERROR.
    case connectRefused(reply: String)
    /// Socket.IO EVENT (`42`): a request.
    case event(SignalRequest)
    /// Engine.IO CLOSE (`1`) or Socket.IO DISCONNECT (`41`).
    case disconnect
    /// Engine.IO NOOP and UPGRADE, Socket.IO ACK: nothing to do.
    case ignored

    /// Reads one text frame.
    ///
    /// - Throws: ``SignalError/badMessage(_:)`` for an unknown or malformed packet, or an
    ///   event whose payload is not one object.
    init(_ text: Substring.UTF8View) throws(SignalError) {
        guard let engineType = text.first else { throw .badMessage("empty Engine.IO packet") }
        let rest = text.dropFirst()
        switch engineType {
        case UInt8(ascii: "1"): self = .disconnect
        case UInt8(ascii: "2"): self = .ping(reply: "3" + String(decoding: rest, as: UTF8.self))
        case UInt8(ascii: "3"): self = .pong
        case UInt8(ascii: "4"): self = try Self.socketIO(rest)
        case UInt8(ascii: "5"), UInt8(ascii: "6"): self = .ignored
        default: throw .badMessage("unknown Engine.IO packet type")
        }
    }

    private static func socketIO(_ packet: Substring.UTF8View.SubSequence) throws(SignalError) -> SocketIOPacket {
        guard let type = packet.first else { throw .badMessage("empty Socket.IO packet") }
        var rest = packet.dropFirst()
        var namespace = "/"
        if rest.first == UInt8(ascii: "/") {
            let end = rest.firstIndex(of: UInt8(ascii: ",")) ?? rest.endIndex
            namespace = String(decoding: rest[rest.startIndex..<end], as: UTF8.self)
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
        }
        switch type {
        case UInt8(ascii: "0"):
            guard namespace == "/" else {
                return .connectRefused(reply: "44\(namespace),{\"message\":\"Invalid namespace\"}")
            }
            return .connect
        case UInt8(ascii: "1"):
            return .disconnect
        case UInt8(ascii: "2"):
            guard namespace == "/" else { throw .badMessage("only the default namespace is served") }
            let payload = rest.drop { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            guard case .array(let items)? = SignalJSON.parse(payload), let name = items.first?.string else {
                throw .badMessage("a Socket.IO event is an array starting with its name")
            }
            guard items.count == 2, case .object(let object) = items[1] else {
                throw .badMessage("a Socket.IO event carries one object")
            }
            return .event(try SignalRequest(type: name, object: object))
        case UInt8(ascii: "3"):
            return .ignored
        default:
            throw .badMessage("binary Socket.IO packets are not accepted")
        }
    }
}
