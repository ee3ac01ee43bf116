/// Where one attribute lies in a message: its type, value range and the offset after its padding.
///
/// The bounds checks that every attribute walker shares (RFC 8489 Section 14: a 4-byte header,
/// the value, padding to four bytes, all inside the message), done once, without copying.
struct STUNAttributeSlot {
    /// The attribute type.
    var type: STUNAttributeType
    /// The offset of the attribute header.
    var offset: Int
    /// The value's byte range (without padding).
    var value: Range<Int>
    /// The offset just after the value's padding: where the next attribute starts.
    var next: Int

    /// Reads the attribute at `offset` of a message whose attributes end at `bytes.count`.
    ///
    /// - Throws: ``STUNParseError/attributeTruncated`` when the header, value or padding runs
    ///   past the end.
    init(in bytes: Span<UInt8>, at offset: Int) throws(STUNParseError) {
        guard bytes.count - offset >= 4 else { throw STUNParseError(.attributeTruncated, offset: offset) }
        let length = Int(bytes.uint16(at: offset + 2))
        let valueStart = offset + 4
        let paddedLength = (length + 3) & ~3
        guard bytes.count - valueStart >= paddedLength else { throw STUNParseError(.attributeTruncated, offset: offset) }
        self.type = STUNAttributeType(rawValue: bytes.uint16(at: offset))
        self.offset = offset
        self.value = valueStart..<(valueStart + length)
        self.next = valueStart + paddedLength
    }
}
