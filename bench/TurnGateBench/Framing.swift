import STUNWire

/// How application data travels between the bench's TURN client and the server.
///
/// RFC 8656 Section 12 (ChannelData) or Section 11 (Send and Data indications); `raw` is the
/// bench forwarder's framing-free floor.
enum Framing: String, Sendable, Codable {
    case channelData = "channel"
    case sendIndication = "send"
    case raw

    /// The channel number every client binds (each client has its own allocation).
    static let channel: UInt16 = 0x4000

    /// The datagram a client sends for a payload of `size` bytes to `peer`, and where in it
    /// the payload starts.
    func clientTemplate(size: Int, peer: IPv4Endpoint) -> (bytes: [UInt8], payloadOffset: Int) {
        let payload = [UInt8](repeating: 0, count: size)
        switch self {
        case .channelData:
            var bytes: [UInt8] = []
            ChannelDataHeader.serialize(channelNumber: Self.channel, data: payload, padded: false, into: &bytes)
            return (bytes, ChannelDataHeader.size)
        case .sendIndication:
            var generator = SystemRandomNumberGenerator()
            var message = STUNMessage(type: SendIndicationView.messageType, transactionID: .random(using: &generator))
            message.append(XORPeerAddress(peer.transportAddress))
            message.append(DataAttribute(payload))
            let bytes = message.serialize()
            return (bytes, bytes.count - (size + 3) & ~3)
        case .raw:
            return (payload, 0)
        }
    }

    /// The payload inside a datagram the server sent to a client, or nil when it is not data.
    func payload(in datagram: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        switch self {
        case .channelData:
            let bytes = UnsafeBufferPointer(start: datagram.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                            count: datagram.count)
            guard let parsed = try? ChannelDataHeader.parseDatagram(bytes.span) else { return nil }
            return UnsafeRawBufferPointer(rebasing: datagram[parsed.payload])
        case .sendIndication:
            return DataIndication.data(in: datagram)
        case .raw:
            return datagram
        }
    }
}
