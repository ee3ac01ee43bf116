/// How the signaling hubs of a cluster share rooms (docs/signaling.md, "Cluster"): the room
/// cap and peer list cluster-wide, and messages for peers on other nodes.
///
/// The executable implements it over Redis; a single node has none.
package protocol SignalBus: Sendable {
    /// Takes a place in `room` for `peer` if the room has fewer than `limit` peers on every
    /// node; the place is held until ``leave(room:peerID:)`` or until it is not renewed.
    ///
    /// - Returns: the room's other peers, on every node; nil when the room is full.
    func join(room: String, peer: SignalPeerInfo, limit: Int) async throws -> [SignalPeerInfo]?

    /// Gives a place back.
    func leave(room: String, peerID: String) async

    /// Keeps the places of this node's peers, `(room, peerID)`, from lapsing.
    func renew(_ places: [(room: String, peerID: String)]) async

    /// Sends `message` to the other nodes.
    func publish(_ message: SignalBusMessage) async

    /// The messages other nodes publish, until the bus shuts down; read by one task only.
    var messages: AsyncStream<SignalBusMessage> { get }
}

/// A message between the nodes' hubs: an event for the peers of a room, and what it changes
/// in the room.
package struct SignalBusMessage: Sendable, Hashable, Codable {
    /// What the event changes in the room's membership.
    package enum Change: String, Sendable, Hashable, Codable {
        case joined, left, none
    }

    /// The room.
    package var room: String
    /// The peer the event comes from (who joined, left or signals).
    package var from: SignalPeerInfo
    /// The one recipient; nil for every peer of the room but `from`.
    package var to: String?
    /// The membership change.
    package var change: Change
    /// The event's name.
    package var name: String
    /// The event's JSON object.
    package var json: String

    init(room: String, from: SignalPeerInfo, to: String?, change: Change, event: SignalEvent) {
        self.room = room
        self.from = from
        self.to = to
        self.change = change
        self.name = event.name
        self.json = event.json
    }

    /// The event it carries.
    var event: SignalEvent { SignalEvent(name: self.name, json: self.json) }
}
