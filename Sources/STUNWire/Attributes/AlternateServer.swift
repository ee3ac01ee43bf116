/// ALTERNATE-SERVER: where a 300 (Try Alternate) response sends the client (RFC 8489 Section 14.15).
public struct AlternateServer: STUNPlainAddressAttribute, Hashable {
    public static let attributeType = STUNAttributeType.alternateServer
    /// The transport address.
    public var address: STUNTransportAddress
    /// Creates the attribute from a transport address.
    public init(_ address: STUNTransportAddress) { self.address = address }
}
