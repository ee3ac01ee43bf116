/// One established allocation as the data path sees it: both sockets and the datagram templates.
///
/// The client socket is connected to the server, the peer socket to the allocation's relayed
/// address, so each leg is a plain `sendmmsg` on a connected socket.
struct FlowSpec: Sendable {
    /// The flow's index, carried in every payload.
    var index: UInt32
    /// The TURN client's socket.
    var client: UDPSocket
    /// The peer's socket.
    var peer: UDPSocket
    /// What the client sends: framing around a zero payload.
    var clientTemplate: [UInt8]
    /// Where the payload starts in ``clientTemplate``.
    var clientPayloadOffset: Int
    /// What the peer sends: the bare payload.
    var peerTemplate: [UInt8]
}
