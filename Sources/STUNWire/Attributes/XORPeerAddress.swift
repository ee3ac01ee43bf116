/// XOR-PEER-ADDRESS: a peer's address as the relay sees it (RFC 8656 Section 18.3).
public struct XORPeerAddress: STUNXORAddressAttribute, Hashable {
    public static let attributeType = STUNAttributeType.xorPeerAddress
    /// The transport address.
    public var address: STUNTransportAddress
    /// Creates the attribute from a transport address.
    public init(_ address: STUNTransportAddress) { self.address = address }
}
