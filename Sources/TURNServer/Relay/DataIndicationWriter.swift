import STUNWire

/// Writes a Data indication straight into the bytes it is sent from: the peer's address and
/// the data it sent (RFC 8656 Section 11.3), with no intermediate arrays.
enum DataIndicationWriter {
    private static let messageType = STUNMessageType(method: .data, messageClass: .indication).rawValue

    /// The size of the indication carrying `payloadLength` bytes from `peer`.
    static func length(from peer: STUNTransportAddress, payloadLength: Int) -> Int {
        STUNHeader.size + Self.bodyLength(from: peer, payloadLength: payloadLength)
    }

    /// Writes the indication into `out`, which holds exactly ``length(from:payloadLength:)`` bytes.
    static func write(
        into out: UnsafeMutableRawBufferPointer,
        from peer: STUNTransportAddress,
        payload: UnsafeRawBufferPointer,
        transactionID: STUNTransactionID
    ) {
        let addressLength = peer.address.family == .ipv4 ? 8 : 20
        var writer = BigEndianWriter(out)
        writer.put(Self.messageType)
        writer.put(UInt16(truncatingIfNeeded: Self.bodyLength(from: peer, payloadLength: payload.count)))
        writer.put(STUNHeader.magicCookie)
        writer.put(transactionID.high)
        writer.put(transactionID.low)
        writer.put(STUNAttributeType.xorPeerAddress.rawValue)
        writer.put(UInt16(addressLength))
        writer.put(UInt8(0))
        writer.put(peer.address.family.rawValue)
        writer.put(peer.port ^ UInt16(truncatingIfNeeded: STUNHeader.magicCookie >> 16))
        switch peer.address {
        case .v4(let value):
            writer.put(value ^ STUNHeader.magicCookie)
        case .v6(let high, let low):
            let mask = UInt64(STUNHeader.magicCookie) << 32 | UInt64(transactionID.high)
            writer.put(high ^ mask)
            writer.put(low ^ transactionID.low)
        }
        writer.put(STUNAttributeType.data.rawValue)
        writer.put(UInt16(truncatingIfNeeded: payload.count))
        writer.put(payload)
        writer.zeroes((4 - payload.count % 4) % 4)
    }

    private static func bodyLength(from peer: STUNTransportAddress, payloadLength: Int) -> Int {
        let addressLength = peer.address.family == .ipv4 ? 8 : 20
        return 4 + addressLength + 4 + (payloadLength + 3) & ~3
    }
}
