/// A client's message (docs/signaling.md, "Messages"), parsed from its JSON object.
enum SignalRequest: Sendable, Hashable {
    /// `{"type":"authenticate","token":…,"roomId":…}`; `roomId` may be left out when the token
    /// names the room.
    case authenticate(token: String, room: String?)
    /// `{"type":"signal","to":…,"data":…}`; without `to`, to every other peer of the room.
    case signal(to: String?, data: SignalJSON)

    /// The longest room name, in UTF-8 bytes (as the token's `roomId` claim).
    static let maximumRoomBytes = ClaimPolicy.maximumNameBytes

    /// Reads `object`, a message's JSON object whose `type` is `type`.
    ///
    /// - Throws: ``SignalError/badMessage(_:)`` naming what is wrong; for an `authenticate`
    ///   without a token, or with one that is not a string, the token codes `missing_token` and
    ///   `malformed_token`, which close the socket as a refused token does.
    init(type: String, object: [String: SignalJSON]) throws(SignalError) {
        switch type {
        case "authenticate":
            let token: String
            switch object["token"] {
            case .string(let text) where !text.isEmpty: token = text
            case nil, .null?, .string?: throw SignalError(.missingToken)
            default: throw SignalError(.malformedToken)
            }
            var room: String?
            if let value = object["roomId"], value != .null {
                guard let text = value.string, Self.isRoomName(text) else {
                    throw .badMessage("roomId must be 1 to \(Self.maximumRoomBytes) bytes without control characters")
                }
                room = text
            }
            self = .authenticate(token: token, room: room)
        case "signal":
            var to: String?
            if let value = object["to"], value != .null {
                guard let text = value.string else { throw .badMessage("signal's to must be a peerId string") }
                to = text
            }
            self = .signal(to: to, data: object["data"] ?? .null)
        default:
            throw .badMessage("unknown message type")
        }
    }

    /// Reads a plain WebSocket message: one JSON object with a `type`.
    static func plain(_ bytes: some Collection<UInt8>) throws(SignalError) -> SignalRequest {
        guard case .object(let object)? = SignalJSON.parse(bytes) else { throw .badMessage("a message is one JSON object") }
        guard let type = object["type"]?.string else { throw .badMessage("a message needs a type string") }
        return try SignalRequest(type: type, object: object)
    }

    /// The metric label of a request's type.
    var typeLabel: String {
        switch self {
        case .authenticate: "authenticate"
        case .signal: "signal"
        }
    }

    private static func isRoomName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= Self.maximumRoomBytes && !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
