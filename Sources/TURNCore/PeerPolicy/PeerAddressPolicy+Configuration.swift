extension PeerAddressPolicy {
    /// What the operator changes about the peer policy: coturn's options of the same meaning.
    public struct Configuration: Hashable, Sendable {
        /// coturn's `allow-loopback-peers`: permit `127.0.0.0/8` and `::1`, and the IPv4-mapped
        /// forms of `127.0.0.0/8`; not loopback inside NAT64, 6to4, Teredo or IPv4-compatible
        /// addresses. Nothing else opens loopback. For tests and development only.
        public var allowLoopbackPeers: Bool
        /// Permit multicast peers (`224.0.0.0/4`, `ff00::/8`, and the IPv4-mapped forms of
        /// `224.0.0.0/4`). coturn permits them unless
        /// `no-multicast-peers` is set; TurnGate refuses them unless this is set, so
        /// `no-multicast-peers` in a coturn configuration keeps its meaning (it is already the
        /// default) and a configuration without it gets the safer behaviour. coturn has no option
        /// that maps to `true`.
        public var allowMulticastPeers: Bool
        /// coturn's `denied-peer-ip` (repeatable): ranges refused in addition to the built-in
        /// categories.
        public var deniedRanges: [IPAddressRange]
        /// coturn's `allowed-peer-ip` (repeatable): ranges permitted even when a
        /// `denied-peer-ip` range or a built-in category holds them, as coturn's own precedence
        /// has it. As in coturn, they do not open the unspecified, loopback and multicast
        /// addresses, which only their flags control.
        public var allowedRanges: [IPAddressRange]

        /// Creates a configuration; the defaults are the secure ones.
        public init(
            allowLoopbackPeers: Bool = false,
            allowMulticastPeers: Bool = false,
            deniedRanges: [IPAddressRange] = [],
            allowedRanges: [IPAddressRange] = []
        ) {
            self.allowLoopbackPeers = allowLoopbackPeers
            self.allowMulticastPeers = allowMulticastPeers
            self.deniedRanges = deniedRanges
            self.allowedRanges = allowedRanges
        }
    }
}
