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
    /// The most allocations (and EVEN-PORT reservations) one user may hold at once; 0 means
    /// no limit (`user-quota`).
    ///
    /// The default, ``defaultUserQuota``, is not unlimited: with no limit one credential can
    /// take every relay port and leave the next user 508.
    public var userQuota: Int = Self.defaultUserQuota
    /// The most allocations the credentials of one room may hold at once; 0 means no limit
    /// (`room-quota`; rooms come from the gateway's grants).
    public var roomQuota: Int = 0
    /// The most allocations (and EVEN-PORT reservations) the server holds at once; 0 means no
    /// limit (`total-quota`). The default is the size of the default relay port range: one
    /// port per allocation.
    public var totalQuota: Int = RelayPortRange(49152...65535).count
    /// The 401 and 438 challenges one source address (an IPv6 /64) is sent per second; past
    /// it, and past ``challengeBurst`` at once, unauthenticated requests from it are dropped
    /// silently (``ChallengeLimiter``). 0 means no limit (`challenge-rate`).
    public var challengeRate: Int = Self.defaultChallengeRate
    /// How many challenges one source may be sent at once before ``challengeRate`` applies.
    public var challengeBurst: Int = 2 * Self.defaultChallengeRate
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
    /// Whether Binding requests are answered; off (coturn's `no-stun`), they are dropped, so a
    /// TURN-only node is no public STUN reflector.
    public var answersBinding: Bool = true
    /// Whether TURN requests are handled; off (coturn's `stun-only`), they are dropped and the
    /// node is a STUN server only.
    public var relaysTURN: Bool = true
    /// Whether Binding requests must be authenticated like TURN requests (coturn's
    /// `secure-stun`): a 401 first, then a signed answer to the user's credentials.
    public var authenticatesBinding: Bool = false
    /// RFC 5780 NAT behaviour discovery on the UDP listeners (coturn's `rfc5780`), or nil.
    public var natDiscovery: NATDiscovery?

    /// Creates a configuration with the defaults.
    public init() {}

    /// The default `user-quota`: 10 allocations. A WebRTC call takes one or two allocations per
    /// participant (one per address family, sometimes one per ICE server URL), so 10 covers a
    /// few calls or tabs at once while one credential holds well under 0.1% of the default
    /// port range.
    public static let defaultUserQuota = 10

    /// The default `challenge-rate`: 20 per second per source, twice that at once. A client
    /// is challenged once or twice per allocation, so this leaves room for dozens of clients
    /// behind one NAT starting at the same moment (their retransmissions get through the next
    /// second), while a forged flood draws at most about 2 KB/s of answers towards one victim.
    public static let defaultChallengeRate = 20

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
