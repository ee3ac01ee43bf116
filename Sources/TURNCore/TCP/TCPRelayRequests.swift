public import STUNWire

/// What the transport must do for a Connect (RFC 6062 Section 5.2): open a TCP connection from
/// the allocation's relayed address to the peer, then report the outcome with
/// ``TURNRequestProcessor/completeConnect(_:now:)`` or ``TURNRequestProcessor/failConnect(_:)``.
public struct TCPConnectRequest: Hashable, Sendable {
    /// The control connection (and allocation).
    public var fiveTuple: FiveTuple
    /// The CONNECTION-ID the connection will have.
    public var connectionID: UInt32
    /// Where to connect.
    public var peer: STUNTransportAddress
    /// The relayed transport address to connect from (the listening socket's address).
    public var relayedAddress: STUNTransportAddress
    /// How long to try.
    public var timeout: Duration

    /// Creates a request.
    public init(fiveTuple: FiveTuple, connectionID: UInt32, peer: STUNTransportAddress, relayedAddress: STUNTransportAddress, timeout: Duration) {
        self.fiveTuple = fiveTuple
        self.connectionID = connectionID
        self.peer = peer
        self.relayedAddress = relayedAddress
        self.timeout = timeout
    }
}

/// What the transport must do after a successful ConnectionBind (RFC 6062 Section 5.3): the
/// connection the request came on stops speaking STUN and carries the peer connection's bytes
/// both ways.
public struct TCPConnectionBindRequest: Hashable, Sendable {
    /// The peer connection's CONNECTION-ID.
    public var connectionID: UInt32
    /// The client data connection.
    public var dataFiveTuple: FiveTuple
    /// The control connection that owns the peer connection.
    public var owner: FiveTuple

    /// Creates a request.
    public init(connectionID: UInt32, dataFiveTuple: FiveTuple, owner: FiveTuple) {
        self.connectionID = connectionID
        self.dataFiveTuple = dataFiveTuple
        self.owner = owner
    }
}

/// How the relay answers a peer that connected to a TCP allocation's relayed address
/// (RFC 6062 Section 5.3).
public enum TCPPeerAcceptance: Hashable, Sendable {
    /// Keep the connection as `connectionID` and send `indication` (ConnectionAttempt) to the client.
    case accept(connectionID: UInt32, indication: [UInt8])
    /// Close it at once: no such allocation, no permission for the peer, or too many connections.
    case reject
}
