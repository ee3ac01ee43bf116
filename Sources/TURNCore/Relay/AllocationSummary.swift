public import STUNWire
public import TURNAuth

/// What the admin API shows of one allocation: who holds it, where it relays, when it ends.
public struct AllocationSummary: Hashable, Sendable {
    /// The client 5-tuple.
    public var fiveTuple: FiveTuple
    /// The relayed transport address as advertised to the client.
    public var relayedAddress: STUNTransportAddress
    /// The IPv6 relayed address of a dual allocation, as advertised.
    public var additionalRelayedAddress: STUNTransportAddress?
    /// The USERNAME that created it.
    public var username: String
    /// The user, room and bandwidth class of its credential.
    public var grant: CredentialGrant
    /// The bandwidth limit in bytes per second per direction, when there is one.
    public var bandwidthBytesPerSecond: Int?
    /// The time left until it expires unless refreshed.
    public var remaining: Duration
}
