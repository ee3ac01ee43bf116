import NIOCore

/// How the server reaches a client: through the UDP listener that heard it, or its own
/// TCP connection.
enum ClientLink {
    /// A UDP client: datagrams go out of `listener` to `client`.
    case datagram(listener: any Channel, client: SocketAddress)
    /// A stream (TCP) client: bytes go down its connection.
    case stream(any Channel)

    /// The channel writes go through, to be flushed at the end of a read batch.
    var channel: any Channel {
        switch self {
        case .datagram(let listener, _): listener
        case .stream(let connection): connection
        }
    }

    /// The client's address, for logs.
    var clientDescription: String {
        switch self {
        case .datagram(_, let client): "\(client)"
        case .stream(let connection): connection.remoteAddress.map { "\($0)" } ?? "?"
        }
    }

    /// Whether ChannelData to this client is padded to four bytes (RFC 8656 Section 12.5).
    var padsChannelData: Bool {
        if case .stream = self { return true }
        return false
    }

    /// Whether relayed data may be queued for the client now. A TCP client that stops reading
    /// fills its connection's buffer past the high water mark; data is dropped until it drains.
    var acceptsData: Bool { self.channel.isWritable }

    /// Writes one message to the client without flushing.
    func write(_ buffer: ByteBuffer) {
        switch self {
        case .datagram(let listener, let client):
            listener.write(AddressedEnvelope(remoteAddress: client, data: buffer), promise: nil)
        case .stream(let connection):
            connection.write(buffer, promise: nil)
        }
    }
}
