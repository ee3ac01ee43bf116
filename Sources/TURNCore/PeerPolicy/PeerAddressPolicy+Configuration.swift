public import IPAddressing

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
        /// Every address of the relay's own host: its interface addresses, `listening-ip`,
        /// `relay-ip` and `external-ip`. Refused as peers (``SelfProtection/hostAddress``)
        /// unless an `allowed-peer-ip` entry names the address itself, or it is one of
        /// ``relayAddresses`` and the port one of ``relayPorts``. Loopback addresses among them
        /// stay under ``allowLoopbackPeers``.
        public var hostAddresses: [IPAddress]
        /// The addresses this server's relayed transport addresses have (`relay-ip` and
        /// `external-ip`): a peer there on a port of ``relayPorts`` is another allocation of
        /// this server, which two WebRTC clients of the same server reach each other through.
        public var relayAddresses: [IPAddress]
        /// The relay port range (`min-port`...`max-port`), or nil when unknown.
        public var relayPorts: ClosedRange<UInt16>?
        /// The ports the server itself listens on (TURN, TURN over TLS, the gateway, the admin
        /// API, metrics): refused on every host and loopback address, whatever opens the
        /// address (``SelfProtection/ownService``), so the relay never reaches its own
        /// listeners (TURN-in-TURN) or its own HTTP endpoints.
        public var servicePorts: [UInt16]

        /// Creates a configuration; the defaults are the secure ones.
        public init(
            allowLoopbackPeers: Bool = false,
            allowMulticastPeers: Bool = false,
            deniedRanges: [IPAddressRange] = [],
            allowedRanges: [IPAddressRange] = [],
            hostAddresses: [IPAddress] = [],
            relayAddresses: [IPAddress] = [],
            relayPorts: ClosedRange<UInt16>? = nil,
            servicePorts: [UInt16] = []
        ) {
            self.allowLoopbackPeers = allowLoopbackPeers
            self.allowMulticastPeers = allowMulticastPeers
            self.deniedRanges = deniedRanges
            self.allowedRanges = allowedRanges
            self.hostAddresses = hostAddresses
            self.relayAddresses = relayAddresses
            self.relayPorts = relayPorts
            self.servicePorts = servicePorts
        }
    }
}
