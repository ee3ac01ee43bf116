public import STUNWire
public import TURNAuth

/// What the TURN request processor needs to decide requests: lifetimes, quotas, relay
/// addresses, peer policy and what responses carry.
///
/// Defaults are RFC 8656's: 600 s default allocation lifetime (Section 7.2), a 3600 s cap
/// (coturn's `max-allocate-lifetime`), 300 s permissions (Section 9) and 600 s channels
/// (Section 12).
public struct RelayConfiguration: Sendable {
    /// The lifetime granted when the client asks for none or for less.
    public var defaultLifetime: Duration = .seconds(600)
    /// The longest lifetime granted (coturn's `max-allocate-lifetime`).
    public var maximumLifetime: Duration = .seconds(3600)
    /// How long a permission lasts (coturn's `permission-lifetime`).
    public var permissionLifetime: Duration = .seconds(300)
    /// How long a channel binding lasts (coturn's `channel-lifetime`).
    public var channelLifetime: Duration = .seconds(600)
    /// Which channel numbers ChannelBind accepts.
    public var channelNumbers: ChannelNumberRange = .rfc5766
    /// The IPv4 address relay sockets bind to, or nil when IPv4 relaying is off.
    public var relayIPv4: IPAddress?
    /// The IPv6 address relay sockets bind to, or nil when IPv6 relaying is off.
    public var relayIPv6: IPAddress?
    /// What XOR-RELAYED-ADDRESS reports instead of a relay address (coturn's `external-ip`).
    public var externalAddresses: [IPAddress: IPAddress] = [:]
    /// The most allocations one user may hold at once; 0 means no limit (`user-quota`).
    public var userQuota: Int = 0
    /// The most allocations the credentials of one room may hold at once; 0 means no limit
    /// (`room-quota`; rooms come from the gateway's grants).
    public var roomQuota: Int = 0
    /// The most allocations the server holds at once; 0 means no limit (`total-quota`).
    public var totalQuota: Int = 0
    /// The bytes per second one allocation may relay in each direction; nil for no limit
    /// (coturn's `max-bps`).
    public var allocationBandwidth: Int?
    /// The bytes per second the whole server may relay in each direction; nil for no limit
    /// (coturn's `bps-capacity`).
    public var serverBandwidth: Int?
    /// When REST credential expiry is checked (`credential-expiry-policy`).
    public var credentialExpiryPolicy: CredentialExpiryPolicy = .allocate
    /// Where new allocations are sent (300 Try Alternate with ALTERNATE-SERVER, RFC 8489
    /// Section 10) while the node drains; empty: they get 508 (coturn's `alternate-server`).
    public var alternateServers: [STUNTransportAddress] = []
    /// Which peers the relay may talk to.
    public var peerPolicy: PeerAddressPolicy = PeerAddressPolicy()
    /// The SOFTWARE attribute's text, or nil to send none.
    public var softwareName: String?
    /// Whether every response carries FINGERPRINT.
    public var alwaysFingerprint: Bool = false
    /// Whether Allocate may ask for a TCP relayed address (RFC 6062); off, it gets 442
    /// (coturn's `no-tcp-relay`).
    public var tcpRelayEnabled: Bool = true

    /// Creates a configuration with the defaults.
    public init() {}

    /// The address advertised for a relay socket bound to `address`.
    public func advertised(_ address: STUNTransportAddress) -> STUNTransportAddress {
        guard let external = self.externalAddresses[address.address] else { return address }
        return STUNTransportAddress(address: external, port: address.port)
    }

    /// The bytes per second an allocation made with `grant` may relay in each direction: the
    /// smaller of ``allocationBandwidth`` and the grant's bandwidth class; nil for no limit.
    public func bandwidth(for grant: CredentialGrant) -> Int? {
        switch (self.allocationBandwidth, grant.bandwidthBytesPerSecond) {
        case (let server?, let granted?): min(server, granted)
        case (let server, nil): server
        case (nil, let granted): granted
        }
    }

    /// The lifetime to grant for a requested one (RFC 8656 Section 7.2 step 8).
    public func grantedLifetime(requested: UInt32?) -> Duration {
        guard let requested else { return self.defaultLifetime }
        let asked = Duration.seconds(Int64(requested))
        return min(max(asked, self.defaultLifetime), self.maximumLifetime)
    }
}
