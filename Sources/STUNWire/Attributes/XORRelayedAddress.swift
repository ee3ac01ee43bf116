/// XOR-RELAYED-ADDRESS: the relayed transport address of an allocation (RFC 8656 Section 18.5).
public struct XORRelayedAddress: STUNXORAddressAttribute, Hashable {
    public static let attributeType = STUNAttributeType.xorRelayedAddress
    /// The transport address.
    public var address: STUNTransportAddress
    /// Creates the attribute from a transport address.
    public init(_ address: STUNTransportAddress) { self.address = address }
}
