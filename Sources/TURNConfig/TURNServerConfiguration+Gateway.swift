extension TURNServerConfiguration {
    /// One `jwt-required-claim`: a claim a token must carry, with this exact value.
    ///
    /// Written `name=value` (`jwt-required-claim=type=webrtc`); the name is not empty, the value
    /// is everything after the first `=` and may hold more of them.
    public struct RequiredClaim: Hashable, Sendable {
        /// The claim's name, as in the token's payload (`type`).
        public var name: String
        /// The value the claim must have (`webrtc`), compared as a string.
        public var value: String

        /// Creates a required claim.
        ///
        /// - Parameters:
        ///   - name: The claim's name.
        ///   - value: The value it must have.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// `api-rate-limit`: how many credential requests a client IP, and a user, may make in a
    /// window.
    public struct RateLimit: Hashable, Sendable {
        /// Requests allowed in a window, 1 or more.
        public var count: Int
        /// The window's length in seconds, 1 or more.
        public var seconds: Int

        /// Creates a rate limit.
        ///
        /// - Parameters:
        ///   - count: Requests allowed in a window.
        ///   - seconds: The window's length in seconds.
        public init(count: Int, seconds: Int) {
            self.count = count
            self.seconds = seconds
        }
    }

    /// One `bandwidth-class`: a name a JWT `permissions` entry can give, and the bandwidth it
    /// grants.
    public struct BandwidthClass: Hashable, Sendable {
        /// The class name, as in the token's `permissions` array (`video`).
        public var name: String
        /// The bandwidth granted, in kbit/s per allocation and direction (1-10000000).
        public var kbps: Int

        /// Creates a bandwidth class.
        ///
        /// - Parameters:
        ///   - name: The class name.
        ///   - kbps: The bandwidth in kbit/s.
        public init(name: String, kbps: Int) {
            self.name = name
            self.kbps = kbps
        }
    }

    /// `credential-expiry-policy`: when the expiry time in a TURN REST API user name is checked.
    public enum CredentialExpiryPolicy: String, CaseIterable, Sendable {
        /// On Allocate only, as coturn does: an allocation outlives its credential while it is
        /// refreshed. The default.
        case allocate
        /// On Allocate and on Refresh: an allocation cannot be refreshed past the expiry.
        case refresh
        /// Allocations end when their credential expires.
        case strict
    }

    /// `jwt-leeway` unless given: seconds of clock skew allowed for `exp`, `nbf` and `iat`.
    public static let defaultJWTLeeway = 60
    /// `jwt-max-lifetime` unless given: the longest `exp - iat` accepted, in seconds (a day).
    public static let defaultJWTMaxLifetime = 86400
    /// `jwt-user-claim` unless given.
    public static let defaultJWTUserClaim = "sub"
    /// `credential-ttl` unless given: a minted credential's lifetime in seconds.
    public static let defaultCredentialTTL = 3600
    /// `api-rate-limit` unless given: 50 requests per 60 seconds.
    public static let defaultAPIRateLimit = RateLimit(count: 50, seconds: 60)
    /// `api-connection-limit` unless given: connections open at once on each gateway
    /// listener. A credential request is one short exchange, and browsers keep idle
    /// connections for at most the idle timeout (30 s), so 1024 serves thousands of clients a
    /// minute while keeping the gateway's descriptors well inside the open-files limit.
    public static let defaultAPIConnectionLimit = 1024
    /// `bandwidth-class` unless given: audio 100, video 1000 and screen 2500 kbit/s.
    public static let defaultBandwidthClasses = [
        BandwidthClass(name: "audio", kbps: 100),
        BandwidthClass(name: "video", kbps: 1000),
        BandwidthClass(name: "screen", kbps: 2500),
    ]

    /// The window `api-rate-limit` uses when given a count alone.
    static let defaultAPIRateLimitSeconds = 60
    /// The bounds of `jwt-leeway`, in seconds.
    static let jwtLeewayRange = 0...3600
    /// The bounds of `credential-ttl`, in seconds: a minute to a week.
    static let credentialTTLRange = 60...604_800
    /// The bounds of a `bandwidth-class` bandwidth, in kbit/s: up to 10 Gbit/s.
    static let bandwidthClassRange = 1...10_000_000
}
