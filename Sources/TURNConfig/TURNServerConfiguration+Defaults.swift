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
}
