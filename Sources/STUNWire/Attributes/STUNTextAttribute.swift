/// An attribute whose value is UTF-8 text with a maximum length in bytes.
///
/// USERNAME (RFC 8489 Section 14.3, under 513 bytes), REALM, NONCE and SOFTWARE (Sections
/// 14.9, 14.10, 14.14: under 128 characters, at most 763 bytes) and ALTERNATE-DOMAIN.
/// Invalid UTF-8 or an over-long value is rejected.
public protocol STUNTextAttribute: STUNAttributeValue {
    /// The most bytes the value may have.
    static var maximumByteCount: Int { get }
    /// The text.
    var text: String { get }
    /// Creates the attribute from its text.
    init(_ text: String)
}

extension STUNTextAttribute {
    public init(value: [UInt8], transactionID: STUNTransactionID) throws(STUNParseError) {
        guard value.count <= Self.maximumByteCount,
            let text = String(validating: value, as: UTF8.self)
        else { throw .invalidAttributeValue }
        self.init(text)
    }

    public func encodeValue(transactionID: STUNTransactionID) -> [UInt8] {
        Array(self.text.utf8)
    }
}
