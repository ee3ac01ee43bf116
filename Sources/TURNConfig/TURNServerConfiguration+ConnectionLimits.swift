extension TURNServerConfiguration {
    /// The limits on TCP and TLS client connections and on the metrics endpoint's
    /// connections: TurnGate's own options, so that no client can hold sockets or memory
    /// without bound.
    public struct ConnectionLimits: Hashable, Sendable {
        /// `tcp-connection-limit`: the most TURN TCP and TLS connections open at once, all
        /// listeners together; 0 for no limit.
        public var total: Int
        /// `tcp-connections-per-ip`: the most TURN TCP and TLS connections of one source IPv4
        /// address, or one IPv6 /64, open at once; 0 for no limit.
        public var perSource: Int
        /// `tcp-first-frame-timeout`: seconds a new connection (a TLS one from the end of its
        /// handshake) may go without a complete STUN message or ChannelData frame.
        public var firstFrameTimeout: Int
        /// `tls-handshake-timeout`: seconds a TLS handshake may take.
        public var tlsHandshakeTimeout: Int
        /// `tcp-idle-timeout`: seconds a connection may go without a complete frame (bytes
        /// that never complete a frame do not count).
        public var idleTimeout: Int
        /// `prometheus-connection-limit`: the most metrics endpoint connections open at once.
        public var prometheusTotal: Int
        /// `prometheus-idle-timeout`: seconds a metrics endpoint connection may go without a
        /// complete request.
        public var prometheusIdleTimeout: Int

        /// The defaults: 16,384 connections, 256 per source, 10 s to the first frame and for
        /// the TLS handshake, 660 s idle (longer than the default allocation lifetime, 600 s, so
        /// a client that only refreshes keeps its connection); 32 metrics connections, 30 s idle.
        public init(
            total: Int = 16_384,
            perSource: Int = 256,
            firstFrameTimeout: Int = 10,
            tlsHandshakeTimeout: Int = 10,
            idleTimeout: Int = 660,
            prometheusTotal: Int = 32,
            prometheusIdleTimeout: Int = 30
        ) {
            self.total = total
            self.perSource = perSource
            self.firstFrameTimeout = firstFrameTimeout
            self.tlsHandshakeTimeout = tlsHandshakeTimeout
            self.idleTimeout = idleTimeout
            self.prometheusTotal = prometheusTotal
            self.prometheusIdleTimeout = prometheusIdleTimeout
        }
    }
}
