import DatagramEngine
import NIOCore
import STUNWire

/// How the server reaches a client: through the UDP listener that heard it, or its own
/// TCP connection.
enum ClientLink {
    /// A UDP client: datagrams go out of the listener socket's `sender` to `client`.
    case datagram(listener: DatagramSender, client: STUNTransportAddress)
    /// A stream (TCP) client: bytes go down its connection.
    case stream(any Channel)

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
    var acceptsData: Bool {
        switch self {
        case .datagram: true
        case .stream(let connection): connection.isWritable
        }
    }
}
