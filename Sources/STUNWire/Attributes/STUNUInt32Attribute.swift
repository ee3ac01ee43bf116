/// An attribute whose value is one big-endian 32-bit number.
public protocol STUNUInt32Attribute: STUNAttributeValue {
    /// The number.
    var rawValue: UInt32 { get }
    /// Creates the attribute from its number.
    init(_ rawValue: UInt32)
}

extension STUNUInt32Attribute {
    public init(value: [UInt8], transactionID: STUNTransactionID) throws(STUNParseError) {
        guard value.count == 4, let number = value.readUInt32() else { throw .invalidAttributeValue }
        self.init(number)
    }

    public func encodeValue(transactionID: STUNTransactionID) -> [UInt8] {
        var out: [UInt8] = []
        out.appendBigEndian(self.rawValue)
        return out
    }
}
