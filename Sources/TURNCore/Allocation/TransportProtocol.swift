/// The transport between a client and the server.
///
/// RFC 8656 Section 3.1: TURN runs over UDP, TCP, TLS-over-TCP or DTLS; the 5-tuple names it.
/// TurnGate serves UDP and TCP so far.
public enum TransportProtocol: UInt8, Hashable, Sendable, CaseIterable {
    case udp
    case tcp
}
