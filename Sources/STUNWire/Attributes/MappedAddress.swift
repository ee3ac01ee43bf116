/// MAPPED-ADDRESS: the client's reflexive address, unobfuscated (RFC 8489 Section 14.1).
public struct MappedAddress: STUNPlainAddressAttribute, Hashable {
    public static let attributeType = STUNAttributeType.mappedAddress
    /// The transport address.
    public var address: STUNTransportAddress
    /// Creates the attribute from a transport address.
    public init(_ address: STUNTransportAddress) { self.address = address }
}
