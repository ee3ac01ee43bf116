import NIOCore
import STUNWire

/// Builds a Data indication straight into a `ByteBuffer`: the peer's address and the data it
/// sent (RFC 8656 Section 11.3), with no intermediate arrays.
enum DataIndicationWriter {
    private static let messageType = STUNMessageType(method: .data, messageClass: .indication).rawValue

    static func write(
        from peer: STUNTransportAddress,
        payload: ByteBuffer,
        transactionID: STUNTransactionID,
        allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        let addressLength = peer.address.family == .ipv4 ? 8 : 20
        let dataLength = payload.readableBytes
        let paddedData = (dataLength + 3) & ~3
        let bodyLength = 4 + addressLength + 4 + paddedData
        var out = allocator.buffer(capacity: STUNHeader.size + bodyLength)
        out.writeInteger(Self.messageType)
        out.writeInteger(UInt16(truncatingIfNeeded: bodyLength))
        out.writeInteger(STUNHeader.magicCookie)
        out.writeInteger(transactionID.high)
        out.writeInteger(transactionID.low)
        out.writeInteger(STUNAttributeType.xorPeerAddress.rawValue)
        out.writeInteger(UInt16(addressLength))
        out.writeInteger(UInt8(0))
        out.writeInteger(peer.address.family.rawValue)
        out.writeInteger(peer.port ^ UInt16(truncatingIfNeeded: STUNHeader.magicCookie >> 16))
        switch peer.address {
        case .v4(let value):
            out.writeInteger(value ^ STUNHeader.magicCookie)
        case .v6(let high, let low):
            let mask = UInt64(STUNHeader.magicCookie) << 32 | UInt64(transactionID.high)
            out.writeInteger(high ^ mask)
            out.writeInteger(low ^ transactionID.low)
        }
        out.writeInteger(STUNAttributeType.data.rawValue)
        out.writeInteger(UInt16(truncatingIfNeeded: dataLength))
        out.writeImmutableBuffer(payload)
        out.writeRepeatingByte(0, count: paddedData - dataLength)
        return out
    }
}
