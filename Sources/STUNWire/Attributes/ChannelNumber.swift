/// CHANNEL-NUMBER: the channel a ChannelBind request binds.
///
/// RFC 8656 Section 18.1: a 16-bit channel number followed by 16 reserved bits. Valid numbers
/// are 0x4000-0x4FFF in RFC 8656 (0x4000-0x7FFF in RFC 5766); the range policy belongs to the
/// relay, so any value decodes.
public struct ChannelNumber: STUNAttributeValue, Hashable {
    public static let attributeType = STUNAttributeType.channelNumber

    /// The channel number.
    public var number: UInt16

    /// Creates the attribute.
    public init(_ number: UInt16) { self.number = number }

    public init(value: [UInt8], transactionID: STUNTransactionID) throws(STUNParseError) {
        guard value.count == 4, let number = value.readUInt16() else { throw .invalidAttributeValue }
        self.number = number
    }

    public func encodeValue(transactionID: STUNTransactionID) -> [UInt8] {
        var out: [UInt8] = []
        out.appendBigEndian(self.number)
        out.append(contentsOf: [0, 0])
        return out
    }
}
