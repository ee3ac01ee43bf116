public import STUNWire
public import TURNAuth

/// The TCP side of a TCP allocation (RFC 6062): its peer connections, by CONNECTION-ID.
///
/// Kept in the allocation's record on the event loop that owns the control connection; the
/// node-wide ``TCPConnectionRegistry`` holds what a ConnectionBind on another loop needs.
public struct TCPAllocationState: Sendable {
    /// One connection between the relayed address and a peer.
    public struct PeerConnection: Sendable {
        /// The peer's transport address.
        public var peer: STUNTransportAddress
        /// The Connect request being answered while the relay connects, with its user; nil
        /// once connected, or for a connection the peer opened.
        public var connect: (request: STUNMessage, user: AuthenticatedUser)?
    }

    /// The most peer connections (connecting, waiting for ConnectionBind, or bound) one
    /// allocation may hold; Connect past it gets 508 and peers past it are refused.
    public static let maximumConnections = 64
    /// How long a peer connection waits for its ConnectionBind (RFC 6062 Section 5.2, 5.3).
    public static let bindTimeout: Duration = .seconds(30)
    /// How long the relay tries to connect to a peer before Connect fails with 447 (RFC 6062
    /// Section 5.2 suggests at most 30 s).
    public static let connectTimeout: Duration = .seconds(10)
    /// How many bytes from a peer are kept while its connection waits for ConnectionBind;
    /// past it the relay stops reading from the peer.
    public static let unboundBufferLimit = 64 * 1024

    /// The peer connections by CONNECTION-ID.
    public var connections: [UInt32: PeerConnection] = [:]

    /// Creates the state of a new TCP allocation.
    public init() {}

    /// Whether a connection to exactly `peer` exists, connecting or connected (446).
    public func isConnected(to peer: STUNTransportAddress) -> Bool {
        self.connections.values.contains { $0.peer == peer }
    }
}
