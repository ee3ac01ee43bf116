/// ICMP: an ICMP error the relay received for a peer, carried in a Data indication.
///
/// RFC 8656 Section 18.13: 16 reserved bits, the ICMP type and code (8 bits each), then 32
/// bits of error data.
public struct ICMPAttribute: STUNAttributeValue, Hashable {
    public static let attributeType = STUNAttributeType.icmp

    /// The ICMP type.
    public var type: UInt8
    /// The ICMP code.
    public var code: UInt8
    /// Extra data such as the MTU of a "packet too big" error.
    public var errorData: UInt32

    /// Creates the attribute.
    public init(type: UInt8, code: UInt8, errorData: UInt32) {
        self.type = type
        self.code = code
        self.errorData = errorData
    }

    public init(value: [UInt8], transactionID: STUNTransactionID) throws(STUNParseError) {
        guard value.count == 8, let errorData = value[4...].readUInt32() else { throw .invalidAttributeValue }
        self.init(type: value[2], code: value[3], errorData: errorData)
    }

    public func encodeValue(transactionID: STUNTransactionID) -> [UInt8] {
        var out: [UInt8] = [0, 0, self.type, self.code]
        out.appendBigEndian(self.errorData)
        return out
    }
}
