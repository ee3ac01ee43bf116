/// MESSAGE-INTEGRITY-SHA256: an HMAC-SHA256 over the message, possibly truncated.
///
/// RFC 8489 Section 14.6: 16 to 32 bytes in steps of four; checked by
/// ``STUNMessage/hasValidMessageIntegritySHA256(key:)``.
public struct MessageIntegritySHA256: STUNAttributeValue, Hashable {
    public static let attributeType = STUNAttributeType.messageIntegritySHA256

    /// The MAC bytes.
    public var bytes: [UInt8]

    /// Creates the attribute from its MAC bytes.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public init(value: [UInt8], transactionID: STUNTransactionID) throws(STUNParseError) {
        guard (16...32).contains(value.count), value.count % 4 == 0 else { throw .invalidAttributeValue }
        self.bytes = value
    }

    public func encodeValue(transactionID: STUNTransactionID) -> [UInt8] { self.bytes }
}
