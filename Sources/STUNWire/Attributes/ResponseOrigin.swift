/// RESPONSE-ORIGIN: the address a response was sent from (RFC 5780 Section 7.3).
public struct ResponseOrigin: STUNPlainAddressAttribute, Hashable {
    public static let attributeType = STUNAttributeType.responseOrigin
    /// The transport address.
    public var address: STUNTransportAddress
    /// Creates the attribute from a transport address.
    public init(_ address: STUNTransportAddress) { self.address = address }
}
