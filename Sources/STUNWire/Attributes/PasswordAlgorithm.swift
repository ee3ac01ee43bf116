/// PASSWORD-ALGORITHM: the algorithm a client chose for its long-term key.
///
/// RFC 8489 Section 14.12: a 16-bit algorithm number, a 16-bit parameter length and the
/// parameters padded to four bytes. Registered numbers: 0x0001 MD5, 0x0002 SHA-256
/// (Section 18.5).
public struct PasswordAlgorithm: STUNAttributeValue, Hashable {
    public static let attributeType = STUNAttributeType.passwordAlgorithm
    /// MD5 (RFC 8489 Section 18.5.1.1).
    public static let md5 = PasswordAlgorithm(number: 0x0001)
    /// SHA-256 (RFC 8489 Section 18.5.1.2).
    public static let sha256 = PasswordAlgorithm(number: 0x0002)

    /// The algorithm number.
    public var number: UInt16
    /// The algorithm's parameters; empty for MD5 and SHA-256.
    public var parameters: [UInt8]

    /// Creates the attribute.
    public init(number: UInt16, parameters: [UInt8] = []) {
        self.number = number
        self.parameters = parameters
    }

    public init(value: [UInt8], transactionID: STUNTransactionID) throws(STUNParseError) {
        var offset = 0
        guard let algorithm = Self.decodeOne(value, offset: &offset), offset == value.count else {
            throw .invalidAttributeValue
        }
        self = algorithm
    }

    public func encodeValue(transactionID: STUNTransactionID) -> [UInt8] {
        var out: [UInt8] = []
        self.encode(into: &out)
        return out
    }

    /// Decodes one algorithm entry at `offset` and moves `offset` past it and its padding.
    static func decodeOne(_ value: [UInt8], offset: inout Int) -> PasswordAlgorithm? {
        guard value.count - offset >= 4,
            let number = value[offset...].readUInt16(),
            let length = value[(offset + 2)...].readUInt16()
        else { return nil }
        let start = offset + 4
        let padded = (Int(length) + 3) & ~3
        guard value.count - start >= padded else { return nil }
        offset = start + padded
        return PasswordAlgorithm(number: number, parameters: Array(value[start..<(start + Int(length))]))
    }

    /// Appends this entry, padded, to `buffer`.
    func encode(into buffer: inout [UInt8]) {
        buffer.appendBigEndian(self.number)
        buffer.appendBigEndian(UInt16(truncatingIfNeeded: self.parameters.count))
        buffer.append(contentsOf: self.parameters)
        buffer.appendPadding(afterValueOfLength: self.parameters.count)
    }
}
