/// A message the server sends (docs/signaling.md), encoded once and framed per socket.
///
/// The JSON object carries `type` in both framings; on Socket.IO it is the payload of the event
/// of the same name (the extra field is harmless there), so one encoding serves every recipient.
struct SignalEvent: Sendable, Hashable {
    /// The event name: the `type`.
    var name: String
    /// The JSON object's text, `type` included.
    var json: String

    /// An event already encoded (from another node).
    init(name: String, json: String) {
        self.name = name
        self.json = json
    }

    init(name: String, fields: [String: SignalJSON]) {
        var object = fields
        object["type"] = .string(name)
        self.name = name
        self.json = SignalJSON.object(object).text
    }

    /// Another peer joined the room.
    static func peerJoined(_ peer: SignalPeerInfo) -> Self {
        Self(name: "peer-joined", fields: peer.fields)
    }

    /// A peer left the room.
    static func peerLeft(peerID: String) -> Self {
        Self(name: "peer-left", fields: ["peerId": .string(peerID)])
    }

    /// A signal from `from`, with its data unchanged.
    static func signal(from: String, data: SignalJSON) -> Self {
        Self(name: "signal", fields: ["from": .string(from), "data": data])
    }

    /// An error message.
    static func error(_ error: SignalError) -> Self {
        Self(name: "error", fields: ["code": .string(error.code), "message": .string(error.message)])
    }
}

/// A peer as others see it: its server-made id and its user.
/// Shared with the cluster bus, which lists the peers of every node.
package struct SignalPeerInfo: Sendable, Hashable, Codable {
    /// The server-made id.
    package var peerID: String
    /// The token's user.
    package var userID: String

    /// Creates a peer description.
    package init(peerID: String, userID: String) {
        self.peerID = peerID
        self.userID = userID
    }

    var fields: [String: SignalJSON] { ["peerId": .string(self.peerID), "userId": .string(self.userID)] }
}
