/// XOR-MAPPED-ADDRESS: the client's reflexive address, XOR-obfuscated (RFC 8489 Section 14.2).
public struct XORMappedAddress: STUNXORAddressAttribute, Hashable {
    public static let attributeType = STUNAttributeType.xorMappedAddress
    /// The transport address.
    public var address: STUNTransportAddress
    /// Creates the attribute from a transport address.
    public init(_ address: STUNTransportAddress) { self.address = address }
}
