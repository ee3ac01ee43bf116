/// ADDRESS-ERROR-CODE: why one address family of a dual allocation failed.
///
/// RFC 8656 Section 18.12: the family byte, reserved bits, class and number as in ERROR-CODE,
/// then a reason phrase.
public struct AddressErrorCode: STUNAttributeValue, Hashable {
    public static let attributeType = STUNAttributeType.addressErrorCode

    /// The address family the error is about.
    public var family: STUNAddressFamily
    /// The error code.
    public var code: STUNErrorCode
    /// The reason phrase.
    public var reason: String

    /// Creates the attribute; the reason defaults to the code's registered phrase.
    public init(family: STUNAddressFamily, code: STUNErrorCode, reason: String? = nil) {
        self.family = family
        self.code = code
        self.reason = reason ?? code.defaultReason
    }

    public init(value: [UInt8], transactionID: STUNTransactionID) throws(STUNParseError) {
        guard let first = value.first, let family = STUNAddressFamily(rawValue: first) else {
            throw .invalidAttributeValue
        }
        let (code, reason) = try ErrorCodeAttribute.decodeCode(value[...])
        self.init(family: family, code: code, reason: reason)
    }

    public func encodeValue(transactionID: STUNTransactionID) -> [UInt8] {
        ErrorCodeAttribute.encodeCode(self.code, reason: self.reason, prefix: [self.family.rawValue, 0])
    }
}
