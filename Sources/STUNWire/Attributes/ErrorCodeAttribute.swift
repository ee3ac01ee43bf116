/// ERROR-CODE: the error code and reason phrase of an error response.
///
/// RFC 8489 Section 14.8: 21 zero bits, the class (3-6) in 3 bits, the number (0-99) in 8 bits,
/// then a UTF-8 reason phrase of under 128 characters.
public struct ErrorCodeAttribute: STUNAttributeValue, Hashable {
    public static let attributeType = STUNAttributeType.errorCode

    /// The error code.
    public var code: STUNErrorCode
    /// The reason phrase.
    public var reason: String

    /// Creates the attribute; the reason defaults to the code's registered phrase.
    public init(_ code: STUNErrorCode, reason: String? = nil) {
        self.code = code
        self.reason = reason ?? code.defaultReason
    }

    public init(value: [UInt8], transactionID: STUNTransactionID) throws(STUNParseError) {
        let (code, reason) = try Self.decodeCode(value[...])
        self.init(code, reason: reason)
    }

    public func encodeValue(transactionID: STUNTransactionID) -> [UInt8] {
        Self.encodeCode(self.code, reason: self.reason, prefix: [0, 0])
    }

    /// Decodes the class/number pair at bytes 2-3 and the reason after them.
    static func decodeCode(_ value: ArraySlice<UInt8>) throws(STUNParseError) -> (STUNErrorCode, String) {
        let bytes = Array(value)
        guard bytes.count >= 4, bytes.count <= 4 + 763 else { throw .invalidAttributeValue }
        let errorClass = bytes[2] & 0x07
        let number = bytes[3]
        guard (3...6).contains(errorClass), number < 100,
            let reason = String(validating: bytes[4...], as: UTF8.self)
        else { throw .invalidAttributeValue }
        return (STUNErrorCode(rawValue: UInt16(errorClass) * 100 + UInt16(number)), reason)
    }

    /// Encodes `prefix` (two bytes), the class/number pair and the reason.
    ///
    /// A reason longer than 763 bytes is cut at the last whole character that fits, so the
    /// value stays valid UTF-8.
    static func encodeCode(_ code: STUNErrorCode, reason: String, prefix: [UInt8]) -> [UInt8] {
        var out = prefix
        out.append(UInt8(truncatingIfNeeded: code.rawValue / 100) & 0x07)
        out.append(UInt8(truncatingIfNeeded: code.rawValue % 100))
        var reasonLength = 0
        for scalar in reason.unicodeScalars {
            let width = UTF8.width(scalar)
            guard reasonLength + width <= 763 else { break }
            reasonLength += width
        }
        out.append(contentsOf: reason.utf8.prefix(reasonLength))
        return out
    }
}
