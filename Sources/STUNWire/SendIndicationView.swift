/// The two things the relay needs from a Send indication, read in place: the peer and the
/// byte range of the data.
///
/// RFC 8656 Section 11.2: a Send indication carries XOR-PEER-ADDRESS and DATA. This view parses
/// with the same strictness as ``STUNMessage`` (header, length, every attribute within
/// bounds, FINGERPRINT last and correct when present) but copies nothing and allocates
/// nothing, so Send indications can be relayed per packet.
public struct SendIndicationView: Hashable, Sendable {
    /// The message type of a Send indication.
    public static let messageType = STUNMessageType(method: .send, messageClass: .indication)

    /// The peer the data is for.
    public var peer: STUNTransportAddress
    /// Where the DATA value lies in the parsed bytes.
    public var data: Range<Int>

    /// Whether `bytes` starts with a Send indication's message type (a cheap pre-check).
    public static func isSendIndication(_ bytes: Span<UInt8>) -> Bool {
        bytes.count >= 2 && bytes.uint16(at: 0) == Self.messageType.rawValue
    }

    /// Parses a whole Send indication.
    ///
    /// - Throws: ``STUNParseError``: header problems as ``STUNHeader/init(parsing:)`` reports
    ///   them, ``STUNParseError/invalidAttributeValue`` for a message that is not a Send
    ///   indication, lacks XOR-PEER-ADDRESS or DATA, carries a comprehension-required
    ///   attribute other than XOR-PEER-ADDRESS, DATA and DONT-FRAGMENT (RFC 8489 Section 6.3.2
    ///   has such indications discarded), or has a wrong FINGERPRINT.
    public init(parsing bytes: Span<UInt8>) throws(STUNParseError) {
        let header = try STUNHeader(parsing: bytes)
        guard header.messageType == Self.messageType else { throw STUNParseError(.invalidAttributeValue, offset: 0) }
        guard header.length % 4 == 0 else { throw STUNParseError(.badLength, offset: 2) }
        guard STUNHeader.size + header.length == bytes.count else { throw STUNParseError(.lengthMismatch, offset: 2) }
        var peer: STUNTransportAddress?
        var data: Range<Int>?
        var offset = STUNHeader.size
        var count = 0
        while offset < bytes.count {
            let slot = try STUNAttributeSlot(in: bytes, at: offset)
            count += 1
            guard count <= STUNMessage.maximumAttributeCount else { throw STUNParseError(.tooManyAttributes, offset: offset) }
            switch slot.type {
            case .xorPeerAddress where peer == nil:
                peer = try Self.xorAddress(bytes, at: slot.value.lowerBound, length: slot.value.count, transactionID: header.transactionID)
            case .data where data == nil:
                data = slot.value
            case .fingerprint:
                guard slot.value.count == 4, slot.next == bytes.count else { throw STUNParseError(.fingerprintNotLast, offset: offset) }
                guard Self.fingerprintMatches(bytes, fingerprintOffset: offset) else {
                    throw STUNParseError(.invalidAttributeValue, offset: offset)
                }
            case .dontFragment, .xorPeerAddress, .data:
                break
            default:
                // RFC 8489 Section 6.3.2: an indication with an unknown comprehension-required
                // attribute is discarded.
                if slot.type.isComprehensionRequired { throw STUNParseError(.invalidAttributeValue, offset: offset) }
            }
            offset = slot.next
        }
        guard let peer, let data else { throw STUNParseError(.invalidAttributeValue, offset: offset) }
        self.peer = peer
        self.data = data
    }

    private static func xorAddress(
        _ bytes: Span<UInt8>,
        at start: Int,
        length: Int,
        transactionID: STUNTransactionID
    ) throws(STUNParseError) -> STUNTransportAddress {
        guard length >= 4 else { throw STUNParseError(.invalidAttributeValue, offset: start) }
        let port = bytes.uint16(at: start + 2) ^ UInt16(truncatingIfNeeded: STUNHeader.magicCookie >> 16)
        switch bytes[start + 1] {
        case STUNAddressFamily.ipv4.rawValue where length == 8:
            return STUNTransportAddress(address: .v4(bytes.uint32(at: start + 4) ^ STUNHeader.magicCookie), port: port)
        case STUNAddressFamily.ipv6.rawValue where length == 20:
            let high = UInt64(bytes.uint32(at: start + 4)) << 32 | UInt64(bytes.uint32(at: start + 8))
            let low = UInt64(bytes.uint32(at: start + 12)) << 32 | UInt64(bytes.uint32(at: start + 16))
            let mask = UInt64(STUNHeader.magicCookie) << 32 | UInt64(transactionID.high)
            return STUNTransportAddress(address: .v6(high: high ^ mask, low: low ^ transactionID.low), port: port)
        default:
            throw STUNParseError(.invalidAttributeValue, offset: start)
        }
    }

    private static func fingerprintMatches(_ bytes: Span<UInt8>, fingerprintOffset offset: Int) -> Bool {
        var crc = CRC32.initial
        for index in 0..<offset {
            crc = CRC32.update(crc, byte: bytes[index])
        }
        return CRC32.finish(crc) ^ Fingerprint.xorValue == bytes.uint32(at: offset + 4)
    }
}
