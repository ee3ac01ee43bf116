/// RESPONSE-PORT: the port a NAT-behaviour-discovery server sends its Binding response to, at
/// the request's source IP address.
///
/// RFC 5780 Section 7.5: a 16-bit port followed by 16 bits of padding.
public struct ResponsePort: STUNAttributeValue, Hashable {
    public static let attributeType = STUNAttributeType.responsePort

    /// The port.
    public var port: UInt16

    /// Creates the attribute.
    public init(port: UInt16) {
        self.port = port
    }

    public init(value: [UInt8], transactionID: STUNTransactionID) throws(STUNParseError) {
        guard value.count == 4, let port = value.readUInt16() else { throw .invalidAttributeValue }
        self.init(port: port)
    }

    public func encodeValue(transactionID: STUNTransactionID) -> [UInt8] {
        var out: [UInt8] = []
        out.appendBigEndian(self.port)
        out.appendBigEndian(UInt16(0))
        return out
    }
}
