/// UNKNOWN-ATTRIBUTES: the comprehension-required attributes a 420 response did not understand.
///
/// RFC 8489 Section 14.9: a list of 16-bit attribute types.
public struct UnknownAttributes: STUNAttributeValue, Hashable {
    public static let attributeType = STUNAttributeType.unknownAttributes

    /// The attribute types.
    public var types: [STUNAttributeType]

    /// Creates the attribute.
    public init(_ types: [STUNAttributeType]) { self.types = types }

    public init(value: [UInt8], transactionID: STUNTransactionID) throws(STUNParseError) {
        guard value.count % 2 == 0 else { throw .invalidAttributeValue }
        self.types = stride(from: 0, to: value.count, by: 2).compactMap { offset in
            value[offset...].readUInt16().map(STUNAttributeType.init(rawValue:))
        }
    }

    public func encodeValue(transactionID: STUNTransactionID) -> [UInt8] {
        var out: [UInt8] = []
        for type in self.types {
            out.appendBigEndian(type.rawValue)
        }
        return out
    }
}
