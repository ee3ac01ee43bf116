extension TURNServerConfiguration {
    /// The port coturn and TurnGate listen on unless told otherwise.
    static let defaultListeningPort = 3478
    /// The SOFTWARE text sent unless `software-name` or `no-software-attribute` says otherwise.
    static let defaultSoftwareName = "TurnGate"
    /// coturn's `rest-api-separator` default.
    static let defaultRESTAPISeparator: Character = ":"
    /// coturn's nonce lifetime in seconds, also what a bare `stale-nonce` gives.
    static let defaultStaleNonce = 600
    /// The bottom of the relay port range: the start of the dynamic ports (RFC 8656 Section 7.2).
    static let defaultMinPort = 49152
    /// The top of the relay port range.
    static let defaultMaxPort = 65535
    /// coturn's cap on allocation lifetimes in seconds, also what a bare
    /// `max-allocate-lifetime` gives.
    static let defaultMaxAllocateLifetime = 3600
    /// A channel binding's lifetime in seconds (RFC 8656 Section 12), also what a bare
    /// `channel-lifetime` gives.
    static let defaultChannelLifetime = 600
    /// A permission's lifetime in seconds (RFC 8656 Section 9), also what a bare
    /// `permission-lifetime` gives.
    static let defaultPermissionLifetime = 300
    /// The default `user-quota`: 10 allocations. coturn's default is 0 (no limit), with which
    /// one credential took every relay port and left the next user 508. A WebRTC call takes one
    /// or two allocations per participant (one per address family, sometimes one per TURN
    /// URL), so 10 covers a few calls or tabs at once.
    public static let defaultUserQuota = 10
    /// The default `challenge-rate`: 20 challenges per second per source, 40 at once. A client
    /// is challenged once or twice per allocation, so dozens of clients behind one NAT can
    /// start together (retransmissions get through the next second), while a forged flood
    /// draws at most about 2 KB/s of answers towards one victim.
    public static let defaultChallengeRate = 20

    /// The `total-quota` the server runs with: the configured one, or when none is set, the
    /// number of relay ports (`max-port` - `min-port` + 1). Each allocation holds one relay
    /// port (two for a dual-stack one or one with an EVEN-PORT reservation), so this is the
    /// most the range could ever serve, and past it Allocate gets 508 at once instead of
    /// after a search for a free port.
    public var effectiveTotalQuota: Int {
        self.totalQuota ?? max(0, self.maxPort - self.minPort + 1)
    }
}
