public import STUNWire

/// What the transport must do to finish an Allocate: bind a relay socket.
///
/// The processor decides everything else; the transport binds a UDP socket on
/// ``address`` with a port from its range (even when ``evenPort`` is set, and then also
/// reserving the next port when ``reserveNextPort`` is set), and reports the outcome with
/// ``TURNRequestProcessor/completeAllocation(_:relayPort:reservationToken:now:)`` or
/// ``TURNRequestProcessor/failAllocation(_:)``.
public struct RelayRequest: Hashable, Sendable {
    /// The client 5-tuple the allocation is for.
    public var fiveTuple: FiveTuple
    /// The local address to bind.
    public var address: IPAddress
    /// The IPv6 address to bind a second socket on, for a dual allocation
    /// (ADDITIONAL-ADDRESS-FAMILY, RFC 8656 Section 7.2).
    public var additionalAddress: IPAddress? = nil
    /// Whether the port must be even (EVEN-PORT, RFC 8656 Section 7.2).
    public var evenPort: Bool
    /// Whether to also reserve the next port (the R bit of EVEN-PORT).
    public var reserveNextPort: Bool
    /// The token of a port reserved earlier, to use instead of a new port.
    public var reservationToken: [UInt8]?
    /// Whether datagrams to peers must not be fragmented (DONT-FRAGMENT, RFC 8656 Section 7.2):
    /// the socket sets the DF bit (IPv4) or refuses to fragment (IPv6).
    public var dontFragment: Bool = false
    /// The bytes per second the allocation may relay in each direction (the smaller of
    /// `max-bps` and its credential's bandwidth class), or nil for no limit.
    public var bandwidth: Int? = nil
    /// The relayed transport: `.tcp` for a TCP allocation (RFC 6062), whose relayed address is
    /// a listening TCP socket.
    public var transport: TransportProtocol = .udp
}
