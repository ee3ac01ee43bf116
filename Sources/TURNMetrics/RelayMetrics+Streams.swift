extension RelayMetrics {
    /// Why a TCP or TLS client connection was refused or closed by a limit, counted in
    /// `turn_stream_refusals_total{reason}`.
    public enum StreamRefusal: String, Sendable, CaseIterable {
        /// The node already had its most TCP and TLS connections (`tcp-connection-limit`).
        case totalLimit = "total_limit"
        /// The source address (its /64 for IPv6) already had its most connections
        /// (`tcp-connections-per-ip`).
        case sourceLimit = "source_limit"
        /// The TLS handshake did not finish in time (`tls-handshake-timeout`).
        case handshakeTimeout = "handshake_timeout"
        /// No complete STUN message or ChannelData frame came in time
        /// (`tcp-first-frame-timeout`).
        case firstFrameTimeout = "first_frame_timeout"
        /// No complete frame came for `tcp-idle-timeout`.
        case idleTimeout = "idle_timeout"
        /// A listener could not accept a connection (out of file descriptors, or memory); it
        /// pauses accepting for a moment instead of retrying at once.
        case acceptFailed = "accept_failed"
    }

    /// A TCP or TLS client connection was refused or closed by a limit.
    public func streamRefused(_ reason: StreamRefusal) {
        self.streamRefusalCounters[reason]?.increment()
    }
}
