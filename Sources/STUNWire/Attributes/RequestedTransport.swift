/// REQUESTED-TRANSPORT: the transport protocol of the relayed address.
///
/// RFC 8656 Section 18.8: an IANA protocol number (17 UDP; RFC 6062 adds 6 TCP) and three
/// reserved bytes.
public struct RequestedTransport: STUNAttributeValue, Hashable {
    public static let attributeType = STUNAttributeType.requestedTransport
    /// UDP, protocol number 17.
    public static let udp = RequestedTransport(protocolNumber: 17)
    /// TCP, protocol number 6 (RFC 6062).
    public static let tcp = RequestedTransport(protocolNumber: 6)

    /// The IANA protocol number.
    public var protocolNumber: UInt8

    /// Creates the attribute.
    public init(protocolNumber: UInt8) { self.protocolNumber = protocolNumber }

    public init(value: [UInt8], transactionID: STUNTransactionID) throws(STUNParseError) {
        guard value.count == 4, let number = value.first else { throw .invalidAttributeValue }
        self.protocolNumber = number
    }

    public func encodeValue(transactionID: STUNTransactionID) -> [UInt8] {
        [self.protocolNumber, 0, 0, 0]
    }
}
