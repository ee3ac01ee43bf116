public import IPAddressing
public import TURNAuth

/// Everything the credential gateway needs, as plain values (docs/gateway.md, "Configuration").
///
/// The executable fills it from `turnserver.conf`; this module never reads the configuration
/// file. Secrets are held in ``CredentialSecret`` so that printing the configuration shows
/// `<redacted>` instead of a key.
public struct GatewayConfiguration: Sendable {
    /// Addresses of the HTTP listener (`api-listening-ip`).
    public var listeningAddresses: [String]
    /// Port of the HTTP listener (`api-listening-port`).
    public var port: Int
    /// PEM certificate chain and private key (`api-cert`, `api-pkey`): the listeners speak HTTPS.
    public var tls: TLSFiles?
    /// How tokens are verified.
    public var jwt: JWTSettings
    /// The secret credentials are minted with: the relay's first `static-auth-secret`.
    public var restSecret: CredentialSecret
    /// Between the expiry and the user in a minted user name (`rest-api-separator`).
    public var restSeparator: Character
    /// Lifetime of a minted credential, in seconds (`credential-ttl`), independent of the
    /// token's `exp`.
    public var credentialTTL: Int
    /// The URIs returned in `uris` and `iceServers` (`turn-uris`).
    public var turnURIs: [String]
    /// Credential requests allowed per client IP (IPv6 clients by their /64) and per user
    /// (`api-rate-limit`); nil turns rate limiting off, and with it the `RateLimit-*` headers.
    public var rateLimit: RateLimit?
    /// The most connections open at once on each listener (`api-connection-limit`), 1 or
    /// more: further connections wait in the listen backlog, not accepted, until one closes.
    public var connectionLimit: Int
    /// Client ranges allowed to call the API (`api-allowed-ip`); empty allows every address.
    /// IPv4-mapped clients and ranges are matched as IPv4 (``IPAddressRange/unmapped``).
    public var allowedRanges: [IPAddressRange]
    /// Client ranges refused (`api-denied-ip`); checked before the allowed ranges.
    public var deniedRanges: [IPAddressRange]
    /// Origins allowed by CORS (`api-cors-origin`); `*` allows any.
    public var corsOrigins: [String]
    /// Serve the ICE test page at `GET /ice-test` on the API listener (`ice-test-page`); the
    /// `api-cors-origin` origins may frame it.
    public var iceTestPage: Bool
    /// The admin API's bearer token, read from `admin-token-file`; the admin API is off without it.
    public var adminToken: CredentialSecret?
    /// Serve the admin API on this port only (`admin-listening-port`).
    public var adminPort: Int?
    /// Bandwidth classes, in order (`bandwidth-class`).
    public var bandwidthClasses: [BandwidthClass]
    /// How long a request may take before it is answered 503 `timeout`.
    public var requestTimeLimit: Duration
    /// Room-scoped WebSocket signaling on the API listener (docs/signaling.md); nil turns it
    /// off (`no-signaling`).
    public var signaling: SignalSettings?

    /// The bandwidth classes used when none is configured: audio 100, video 1000, screen 2500 kbit/s.
    public static let defaultBandwidthClasses: [BandwidthClass] = [
        BandwidthClass(name: "audio", kbps: 100),
        BandwidthClass(name: "video", kbps: 1000),
        BandwidthClass(name: "screen", kbps: 2500),
    ]

    /// Creates a configuration with the documented defaults for everything not given.
    public init(
        listeningAddresses: [String] = ["0.0.0.0"],
        port: Int,
        tls: TLSFiles? = nil,
        jwt: JWTSettings,
        restSecret: CredentialSecret,
        restSeparator: Character = ":",
        credentialTTL: Int = 3600,
        turnURIs: [String] = [],
        rateLimit: RateLimit? = RateLimit(count: 50, windowSeconds: 60),
        connectionLimit: Int = 1024,
        allowedRanges: [IPAddressRange] = [],
        deniedRanges: [IPAddressRange] = [],
        corsOrigins: [String] = [],
        iceTestPage: Bool = false,
        adminToken: CredentialSecret? = nil,
        adminPort: Int? = nil,
        bandwidthClasses: [BandwidthClass] = GatewayConfiguration.defaultBandwidthClasses,
        requestTimeLimit: Duration = .seconds(10),
        signaling: SignalSettings? = SignalSettings()
    ) {
        self.listeningAddresses = listeningAddresses
        self.port = port
        self.tls = tls
        self.jwt = jwt
        self.restSecret = restSecret
        self.restSeparator = restSeparator
        self.credentialTTL = credentialTTL
        self.turnURIs = turnURIs
        self.rateLimit = rateLimit
        self.connectionLimit = connectionLimit
        self.allowedRanges = allowedRanges
        self.deniedRanges = deniedRanges
        self.corsOrigins = corsOrigins
        self.iceTestPage = iceTestPage
        self.adminToken = adminToken
        self.adminPort = adminPort
        self.bandwidthClasses = bandwidthClasses
        self.requestTimeLimit = requestTimeLimit
        self.signaling = signaling
    }
}
