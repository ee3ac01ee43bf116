/// The fixed 20-byte header that starts every STUN message.
///
/// RFC 8489 Section 5: two zero bits, the 14-bit message type, the 16-bit message length
/// (excluding the header), the magic cookie 0x2112A442 and the 96-bit transaction ID.
public struct STUNHeader: Hashable, Sendable {
    /// The size of the header in bytes.
    public static let size = 20
    /// The magic cookie (RFC 8489 Section 5).
    public static let magicCookie: UInt32 = 0x2112_A442

    /// The message type.
    public var messageType: STUNMessageType
    /// The length of the message body (the attributes), in bytes.
    public var length: Int
    /// The transaction ID.
    public var transactionID: STUNTransactionID

    /// Creates a header.
    public init(messageType: STUNMessageType, length: Int, transactionID: STUNTransactionID) {
        self.messageType = messageType
        self.length = length
        self.transactionID = transactionID
    }

    /// Parses the header at the start of `bytes`; the bytes after it are not looked at.
    ///
    /// - Throws: ``STUNParseError/truncated`` when fewer than 20 bytes are given, and
    ///   ``STUNParseError/notSTUN`` when the top two bits are set or the magic cookie is wrong.
    public init(parsing bytes: Span<UInt8>) throws(STUNParseError) {
        guard bytes.count >= Self.size else { throw STUNParseError(.truncated, offset: bytes.count) }
        let type = bytes.uint16(at: 0)
        guard type & 0xC000 == 0 else { throw STUNParseError(.notSTUN, offset: 0) }
        guard bytes.uint32(at: 4) == Self.magicCookie else { throw STUNParseError(.notSTUN, offset: 4) }
        self.messageType = STUNMessageType(rawValue: type)
        self.length = Int(bytes.uint16(at: 2))
        self.transactionID = STUNTransactionID(
            high: bytes.uint32(at: 8),
            low: UInt64(bytes.uint32(at: 12)) << 32 | UInt64(bytes.uint32(at: 16))
        )
    }

    /// Appends the 20 header bytes to `buffer`.
    public func serialize(into buffer: inout [UInt8]) {
        buffer.appendBigEndian(self.messageType.rawValue)
        buffer.appendBigEndian(UInt16(truncatingIfNeeded: self.length))
        buffer.appendBigEndian(Self.magicCookie)
        self.transactionID.write(into: &buffer)
    }
}
