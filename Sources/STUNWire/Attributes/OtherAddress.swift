/// OTHER-ADDRESS: the server's alternate address for NAT behaviour discovery (RFC 5780 Section 7.4).
public struct OtherAddress: STUNPlainAddressAttribute, Hashable {
    public static let attributeType = STUNAttributeType.otherAddress
    /// The transport address.
    public var address: STUNTransportAddress
    /// Creates the attribute from a transport address.
    public init(_ address: STUNTransportAddress) { self.address = address }
}
