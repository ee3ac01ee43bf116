/// CHANGE-REQUEST: asks a NAT-behaviour-discovery server to answer from another IP or port.
///
/// RFC 5780 Section 7.2: 32 bits of which bit 0x4 is "change IP" and 0x2 "change port".
public struct ChangeRequest: STUNAttributeValue, Hashable {
    public static let attributeType = STUNAttributeType.changeRequest

    /// Whether the response should come from another IP address.
    public var changeIP: Bool
    /// Whether the response should come from another port.
    public var changePort: Bool

    /// Creates the attribute.
    public init(changeIP: Bool, changePort: Bool) {
        self.changeIP = changeIP
        self.changePort = changePort
    }

    public init(value: [UInt8], transactionID: STUNTransactionID) throws(STUNParseError) {
        guard value.count == 4, let flags = value.readUInt32() else { throw .invalidAttributeValue }
        self.init(changeIP: flags & 0x4 != 0, changePort: flags & 0x2 != 0)
    }

    public func encodeValue(transactionID: STUNTransactionID) -> [UInt8] {
        var out: [UInt8] = []
        out.appendBigEndian(UInt32((self.changeIP ? 0x4 : 0) | (self.changePort ? 0x2 : 0)))
        return out
    }
}
