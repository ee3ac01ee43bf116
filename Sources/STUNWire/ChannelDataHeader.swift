/// The 4-byte header of a ChannelData message: channel number and payload length.
///
/// RFC 8656 Section 12.4: the first two bits are `01` (channel numbers 0x4000-0x7FFF), then
/// the 16-bit length of the application data, which follows the header. Over UDP the payload
/// may be followed by up to three bytes of padding; over TCP and TLS it is always padded to a
/// multiple of four (Section 12.5).
public struct ChannelDataHeader: Hashable, Sendable {
    /// The size of the header in bytes.
    public static let size = 4

    /// The channel number.
    public var channelNumber: UInt16
    /// The length of the application data in bytes, without padding.
    public var length: Int

    /// Creates a header.
    public init(channelNumber: UInt16, length: Int) {
        self.channelNumber = channelNumber
        self.length = length
    }

    /// Parses the header at the start of `bytes`.
    ///
    /// - Throws: ``STUNParseError/truncated`` for fewer than 4 bytes and
    ///   ``STUNParseError/notChannelData`` when the first two bits are not `01`.
    public init(parsing bytes: Span<UInt8>) throws(STUNParseError) {
        guard bytes.count >= Self.size else { throw STUNParseError(.truncated, offset: bytes.count) }
        let channel = bytes.uint16(at: 0)
        guard channel & 0xC000 == 0x4000 else { throw STUNParseError(.notChannelData, offset: 0) }
        self.channelNumber = channel
        self.length = Int(bytes.uint16(at: 2))
    }

    /// The header as one big-endian word, ready for a single integer write on the data path.
    public var wireValue: UInt32 {
        UInt32(self.channelNumber) << 16 | UInt32(truncatingIfNeeded: self.length & 0xFFFF)
    }

    /// The whole frame's length on a stream transport: header, data and padding to four bytes.
    public var streamFrameLength: Int { Self.size + (self.length + 3) & ~3 }

    /// Parses a ChannelData datagram and returns its header and the byte range of its data.
    ///
    /// The data must fit in the datagram; up to three trailing bytes of padding are allowed
    /// (RFC 8656 Section 12.5), more are an error.
    ///
    /// - Throws: ``STUNParseError/truncated``, ``STUNParseError/notChannelData`` or
    ///   ``STUNParseError/lengthMismatch``.
    public static func parseDatagram(_ bytes: Span<UInt8>) throws(STUNParseError) -> (header: ChannelDataHeader, payload: Range<Int>) {
        let header = try ChannelDataHeader(parsing: bytes)
        let available = bytes.count - Self.size
        guard header.length <= available, available - header.length <= 3 else {
            throw STUNParseError(.lengthMismatch, offset: 2)
        }
        return (header, Self.size..<(Self.size + header.length))
    }

    /// Appends a ChannelData frame (header, data, and padding when `padded`) to `buffer`.
    public static func serialize(channelNumber: UInt16, data: [UInt8], padded: Bool, into buffer: inout [UInt8]) {
        buffer.appendBigEndian(ChannelDataHeader(channelNumber: channelNumber, length: data.count).wireValue)
        buffer.append(contentsOf: data)
        if padded { buffer.appendPadding(afterValueOfLength: data.count) }
    }
}
