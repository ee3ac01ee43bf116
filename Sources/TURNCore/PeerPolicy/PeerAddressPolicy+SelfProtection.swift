public import STUNWire
public import IPAddressing

extension PeerAddressPolicy {
    /// Why a peer is refused to protect the relay's own host and sockets, with a label for
    /// metrics.
    ///
    /// RFC 8656 Section 21 warns that a relay reaches whatever its host reaches; the first
    /// thing its host reaches is itself. A client that could send through the relay to the
    /// host's own addresses would reach services bound there (the gateway, the admin API,
    /// metrics, SSH, a database), and through the server's own TURN listener it could nest
    /// allocations (TURN-in-TURN).
    public enum SelfProtection: String, Hashable, Sendable, CaseIterable {
        /// An address of the relay's host (``Configuration/hostAddresses``) that no
        /// `allowed-peer-ip` entry names, on a port that is not a relay port of one of its
        /// relay addresses.
        case hostAddress = "this_host"
        /// One of the server's own listening ports (``Configuration/servicePorts``) on a host or
        /// loopback address: never opened by any option.
        case ownService = "own_service"
        /// Port 0, which no datagram can be sent to (the send fails with `EINVAL`).
        case portZero = "port_zero"
        /// An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, RFC 4291 Section 2.5.5.2): relay
        /// sockets are IPv6-only (`IPV6_V6ONLY`), so the send would fail with `ENETUNREACH`;
        /// a client that means the IPv4 peer names it as IPv4.
        case ipv4Mapped = "ipv4_mapped"
    }

    /// Whether the relay may send to `peer` (ChannelBind, Send indication, Connect).
    public func permits(peer: STUNTransportAddress) -> Bool {
        self.decision(peer: peer) == .allowed
    }

    /// Whether the relay may send to the transport address `peer`, and if not, why.
    ///
    /// ``decision(_:)`` of the address, after two refusals that no option opens: port 0 and
    /// IPv4-mapped addresses. On an address of the host (a host address, a relay address or a
    /// loopback address) the server's own listening ports stay refused whatever opened the
    /// address; a relay address that no `allowed-peer-ip` entry names is reachable only on the
    /// relay ports (another allocation of this server). Allocation-free.
    public func decision(peer: STUNTransportAddress) -> Decision {
        guard peer.port != 0 else { return .deniedSelfProtection(.portZero) }
        if Self.isIPv4Mapped(peer.address) { return .deniedSelfProtection(.ipv4Mapped) }
        let verdict = self.decision(peer.address)
        guard verdict == .allowed, self.isHostOrLoopback(peer.address) else { return verdict }
        if self.configuration.servicePorts.contains(peer.port) { return .deniedSelfProtection(.ownService) }
        if Self.isLoopback(peer.address) || self.contains(peer.address, in: self.explicitlyAllowed) { return .allowed }
        if self.configuration.relayPorts?.contains(peer.port) == true { return .allowed }
        return .deniedSelfProtection(.hostAddress)
    }

    /// Whether the relay may install a permission for `address` (CreatePermission: the port of
    /// XOR-PEER-ADDRESS is ignored, RFC 8656 Section 10.2).
    public func permitsPermission(for address: IPAddress) -> Bool {
        self.decision(permissionFor: address) == .allowed
    }

    /// ``decision(_:)`` of the address, and ``SelfProtection/ipv4Mapped`` for an IPv4-mapped one.
    public func decision(permissionFor address: IPAddress) -> Decision {
        Self.isIPv4Mapped(address) ? .deniedSelfProtection(.ipv4Mapped) : self.decision(address)
    }

    /// Whether `address` (or the IPv4 address it carries) is loopback or one of the host's.
    private func isHostOrLoopback(_ address: IPAddress) -> Bool {
        if Self.isLoopback(address) || self.contains(address, in: self.hosts) || self.contains(address, in: self.relays) {
            return true
        }
        guard let embedded = address.embeddedIPv4Address else { return false }
        return Self.isLoopback(embedded) || self.contains(embedded, in: self.hosts) || self.contains(embedded, in: self.relays)
    }

    private func contains(_ address: IPAddress, in set: AddressIntervalSet) -> Bool {
        switch address {
        case .v4(let value): set.contains(ipv4: value)
        case .v6(let high, let low): set.contains(ipv6: IPAddress.ipv6Value(high: high, low: low))
        }
    }

    private static func isLoopback(_ address: IPAddress) -> Bool {
        switch address {
        case .v4(let value): SpecialPurposeBlocks.category(ofIPv4: value) == .loopback
        case .v6(let high, let low): SpecialPurposeBlocks.category(ofIPv6: IPAddress.ipv6Value(high: high, low: low)) == .loopback
        }
    }

    private static func isIPv4Mapped(_ address: IPAddress) -> Bool {
        guard case .v6(let high, let low) = address else { return false }
        return IPAddress.isIPv4Mapped(IPAddress.ipv6Value(high: high, low: low))
    }
}
