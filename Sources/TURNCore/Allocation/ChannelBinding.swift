public import STUNWire

/// A channel bound to a peer: ChannelData on this number goes to this peer.
///
/// RFC 8656 Section 12: a binding lasts 10 minutes unless refreshed by another ChannelBind.
public struct ChannelBinding: Hashable, Sendable {
    /// The channel number.
    public var number: UInt16
    /// The peer's transport address.
    public var peer: STUNTransportAddress
    /// When the binding expires.
    public var expiresAt: ContinuousClock.Instant

    /// Creates a binding.
    public init(number: UInt16, peer: STUNTransportAddress, expiresAt: ContinuousClock.Instant) {
        self.number = number
        self.peer = peer
        self.expiresAt = expiresAt
    }
}
