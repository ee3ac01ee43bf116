public import STUNWire
public import IPAddressing

/// Decides whether the relay may send to a peer address: the peer address policy.
///
/// RFC 8656 Section 21 (security considerations) warns that a relay is a way into the network
/// it sits on. TURN lets a server restrict which peers it relays to, and refusing is the safe
/// default: a TURN client is anyone with a credential, and its peer addresses are whatever it
/// writes into XOR-PEER-ADDRESS. So the policy refuses, unless configured otherwise, every
/// address that the special-purpose address registries (RFC 6890) mark as not globally
/// reachable, listed in ``Category``: loopback, private and shared (CGNAT) networks, link-local
/// addresses (with the cloud metadata service at `169.254.169.254`), unique local, multicast,
/// reserved, documentation and benchmarking blocks, and the Teredo and 6to4 tunnels.
///
/// An IPv6 address that carries an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4,
/// Teredo; see ``STUNWire/IPAddress/embeddedIPv4Address``) is judged twice, as itself and as
/// the IPv4 address, and must pass both: `::ffff:127.0.0.1` reaches `127.0.0.1` through a
/// dual-stack socket (coturn's CVE-2026-27624), and a 6to4 or Teredo address makes the relay
/// send to the IPv4 address inside it (the tunnel amplification attack of RFC 6156 Section 9.1,
/// carried into RFC 8656 Section 21).
///
/// The order follows coturn's: unspecified, loopback (unless ``Configuration/allowLoopbackPeers``)
/// and multicast (unless ``Configuration/allowMulticastPeers``) are refused first; then an
/// address of the relay's own host is refused unless an `allowed-peer-ip` entry names it or it
/// is a relay address; then an `allowed-peer-ip` range permits; then a `denied-peer-ip` range
/// refuses; then the other built-in categories refuse; anything else is permitted. Where the
/// peer's port is known (ChannelBind, Send, Connect), ``decision(peer:)`` adds the rules that
/// protect the relay's host and sockets (``SelfProtection``).
///
/// Called for every CreatePermission, ChannelBind and Send indication: ``permits(_:)`` and
/// ``decision(_:)`` allocate nothing and compare integers only.
public struct PeerAddressPolicy: Sendable {
    /// The configuration the policy was built from.
    public let configuration: Configuration
    private let allowed: AddressIntervalSet
    private let denied: AddressIntervalSet
    /// The `allowed-peer-ip` entries that name one address: only these open a host address.
    let explicitlyAllowed: AddressIntervalSet
    /// ``Configuration/hostAddresses``.
    let hosts: AddressIntervalSet
    /// ``Configuration/relayAddresses``.
    let relays: AddressIntervalSet

    /// Creates a policy; the default configuration is the secure one.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.allowed = AddressIntervalSet(configuration.allowedRanges)
        self.denied = AddressIntervalSet(configuration.deniedRanges)
        self.explicitlyAllowed = AddressIntervalSet(configuration.allowedRanges.filter { $0.lowerBound == $0.upperBound })
        self.hosts = AddressIntervalSet(configuration.hostAddresses.map(IPAddressRange.init))
        self.relays = AddressIntervalSet(configuration.relayAddresses.map(IPAddressRange.init))
    }

    /// Whether the relay may send to `address`.
    public func permits(_ address: IPAddress) -> Bool {
        self.decision(address) == .allowed
    }

    /// Whether the relay may send to `address`, and if not, why.
    ///
    /// A refused IPv6 address that carries an IPv4 address is reported by the IPv4 address's
    /// reason when that one is refused too (`2002:7f00:1::1` is `.deniedBuiltIn(.loopback)`).
    public func decision(_ address: IPAddress) -> Decision {
        switch address {
        case .v4(let value):
            let category = SpecialPurposeBlocks.category(ofIPv4: value)
            if let closed = self.closedGate(category) {
                return .deniedBuiltIn(closed)
            }
            return self.judge(ipv4: value, category: category)
        case .v6(let high, let low):
            let value = IPAddress.ipv6Value(high: high, low: low)
            let category = SpecialPurposeBlocks.category(ofIPv6: value)
            guard let embedded = IPAddress.embeddedIPv4(inIPv6: value) else {
                if let closed = self.closedGate(category) {
                    return .deniedBuiltIn(closed)
                }
                return self.judge(ipv6: value, category: category)
            }
            let embeddedCategory = SpecialPurposeBlocks.category(ofIPv4: embedded)
            let flagsApply = IPAddress.isIPv4Mapped(value)
            if let closed = self.closedGate(category) ?? self.closedGate(embeddedCategory, flagsApply: flagsApply) {
                return .deniedBuiltIn(closed)
            }
            let inner = self.judge(ipv4: embedded, category: embeddedCategory)
            guard inner == .allowed else { return inner }
            return self.judge(ipv6: value, category: category)
        }
    }

    /// The category, if it is one that only its flag opens and that flag does not open it.
    ///
    /// The flags open the addresses themselves and their IPv4-mapped forms (`flagsApply`), not
    /// a loopback or multicast address inside a NAT64, 6to4, Teredo or IPv4-compatible address:
    /// RFC 6052 Section 3.1 forbids the NAT64 well-known prefix for non-global IPv4 addresses.
    private func closedGate(_ category: Category?, flagsApply: Bool = true) -> Category? {
        switch category {
        case .unspecified: .unspecified
        case .loopback: flagsApply && self.configuration.allowLoopbackPeers ? nil : .loopback
        case .multicast: flagsApply && self.configuration.allowMulticastPeers ? nil : .multicast
        default: nil
        }
    }

    private func judge(ipv4 value: UInt32, category: Category?) -> Decision {
        if category != .loopback, self.hosts.contains(ipv4: value), !self.relays.contains(ipv4: value),
            !self.explicitlyAllowed.contains(ipv4: value)
        {
            return .deniedSelfProtection(.hostAddress)
        }
        if self.allowed.contains(ipv4: value) { return .allowed }
        if self.denied.contains(ipv4: value) { return .deniedByRule }
        return Self.builtIn(category)
    }

    private func judge(ipv6 value: UInt128, category: Category?) -> Decision {
        if category != .loopback, self.hosts.contains(ipv6: value), !self.relays.contains(ipv6: value),
            !self.explicitlyAllowed.contains(ipv6: value)
        {
            return .deniedSelfProtection(.hostAddress)
        }
        if self.allowed.contains(ipv6: value) { return .allowed }
        if self.denied.contains(ipv6: value) { return .deniedByRule }
        return Self.builtIn(category)
    }

    /// A category's verdict once the gates have been passed: an open gate permits.
    private static func builtIn(_ category: Category?) -> Decision {
        guard let category, !category.isGate else { return .allowed }
        return .deniedBuiltIn(category)
    }
}
