/// Finds message boundaries on a stream transport (TCP or TLS) that carries both STUN
/// messages and ChannelData.
///
/// RFC 8656 Section 12.5 and RFC 8489 Section 6.2.2: the first two bits tell them apart (`00`
/// STUN, `01` ChannelData); a STUN message is 20 bytes plus its length, a ChannelData message
/// 4 bytes plus its length padded to four.
public enum STUNStreamFraming {
    /// What the bytes at the start of a stream buffer hold.
    public enum Frame: Hashable, Sendable {
        /// A STUN message of this many bytes.
        case stun(length: Int)
        /// A ChannelData message of this many bytes, padding included.
        case channelData(length: Int)

        /// The frame's length in bytes.
        public var length: Int {
            switch self {
            case .stun(let length), .channelData(let length): length
            }
        }
    }

    /// The frame at the start of `bytes`, or nil when more bytes are needed to tell.
    ///
    /// - Throws: ``STUNParseError/notSTUN`` when the first two bits are `10` or `11`, and
    ///   ``STUNParseError/badLength`` for a STUN length that is not a multiple of four: the
    ///   stream cannot be resynchronised, so the connection should be closed.
    public static func frame(at bytes: Span<UInt8>) throws(STUNParseError) -> Frame? {
        guard bytes.count >= 4 else { return nil }
        let first = bytes.uint16(at: 0)
        let length = Int(bytes.uint16(at: 2))
        switch first & 0xC000 {
        case 0x0000:
            guard length % 4 == 0 else { throw STUNParseError(.badLength, offset: 2) }
            return .stun(length: STUNHeader.size + length)
        case 0x4000:
            return .channelData(length: ChannelDataHeader.size + (length + 3) & ~3)
        default:
            throw STUNParseError(.notSTUN, offset: 0)
        }
    }
}
