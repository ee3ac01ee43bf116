/// A typed STUN attribute: decodes from a raw ``STUNAttribute`` and encodes back to one.
///
/// The typed level of the two-level attribute model. Address attributes XOR their value with
/// the magic cookie and transaction ID (RFC 8489 Section 14.2), so both directions take the
/// message's transaction ID; other attributes ignore it.
public protocol STUNAttributeValue: Sendable {
    /// The attribute type this value decodes from.
    static var attributeType: STUNAttributeType { get }

    /// Decodes the value of a raw attribute.
    ///
    /// - Throws: ``STUNParseError/invalidAttributeValue`` when the bytes do not fit the format.
    init(value: [UInt8], transactionID: STUNTransactionID) throws(STUNParseError)

    /// Encodes the value (without padding).
    func encodeValue(transactionID: STUNTransactionID) -> [UInt8]
}

extension STUNAttribute {
    /// Encodes a typed attribute for a message with the given transaction ID.
    public init<Value: STUNAttributeValue>(_ typed: Value, transactionID: STUNTransactionID) {
        self.init(type: Value.attributeType, value: typed.encodeValue(transactionID: transactionID))
    }

    /// Decodes this attribute as `Value`.
    ///
    /// - Throws: ``STUNParseError/invalidAttributeValue`` when the type differs or the value is malformed.
    public func decode<Value: STUNAttributeValue>(
        as _: Value.Type,
        transactionID: STUNTransactionID
    ) throws(STUNParseError) -> Value {
        guard self.type == Value.attributeType else { throw .invalidAttributeValue }
        return try Value(value: self.value, transactionID: transactionID)
    }
}
