public import STUNWire

/// The client's address, the server's address and the transport between them.
///
/// RFC 8656 Section 2: an allocation is identified by its 5-tuple; a request on a 5-tuple
/// refers to the allocation of that 5-tuple, if any.
public struct FiveTuple: Hashable, Sendable, CustomStringConvertible {
    /// The client's transport address as the server sees it.
    public var client: STUNTransportAddress
    /// The server's transport address the client sent to.
    public var server: STUNTransportAddress
    /// The transport.
    public var transport: TransportProtocol

    /// Creates a 5-tuple.
    public init(client: STUNTransportAddress, server: STUNTransportAddress, transport: TransportProtocol) {
        self.client = client
        self.server = server
        self.transport = transport
    }

    public var description: String { "\(self.transport) \(self.client)->\(self.server)" }
}
