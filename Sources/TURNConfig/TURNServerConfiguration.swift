public import IPAddressing

/// The relay's settings, typed and checked, read from coturn's `turnserver.conf` syntax and
/// command-line options.
///
/// Build one with ``load(fileText:arguments:strict:)`` or ``load(directives:strict:)``; both
/// return every problem as a ``ConfigDiagnostic`` instead of stopping at the first. The defaults
/// (``init()``) are coturn's where TurnGate shares its options. Secrets (``staticAuthSecrets``,
/// ``jwtSecrets``, the passwords in ``users``) are plain strings here: the caller wraps them
/// before use and never logs them, and no diagnostic repeats them.
public struct TURNServerConfiguration: Sendable, Equatable {
    /// `listening-ip`: the addresses to listen on, as written. Empty means all addresses: the
    /// caller binds `0.0.0.0` and `::`.
    public var listeningIPs: [String]
    /// `listening-port`: the UDP and TCP port (3478).
    public var listeningPort: Int
    /// `false` after `no-udp`.
    public var udpEnabled: Bool
    /// `false` after `no-tcp`.
    public var tcpEnabled: Bool
    /// coturn's `rfc5780`: RFC 5780 NAT behaviour discovery on UDP, with the first two
    /// `listening-ip`s of a family as partners, each also listening on `listening-port` + 1.
    public var rfc5780: Bool
    /// `false` after `no-tcp-relay`: Allocate with REQUESTED-TRANSPORT TCP (RFC 6062) gets 442.
    public var tcpRelayEnabled: Bool
    /// `tls-listening-port`: the TURN-over-TLS port (5349).
    public var tlsListeningPort: Int
    /// `false` after `no-tls`. TLS listens only when ``certificateFile`` and
    /// ``privateKeyFile`` are given too.
    public var tlsEnabled: Bool
    /// `cert`: the PEM certificate chain for TLS.
    public var certificateFile: String?
    /// `pkey`: the PEM private key for TLS.
    public var privateKeyFile: String?
    /// `cipher-list`: OpenSSL's cipher list syntax, for TLS 1.2 and earlier.
    public var cipherList: String?
    /// `no-tlsv1`, `no-tlsv1_1`, `no-tlsv1_2`: protocol versions refused. TLS 1.0 and 1.1 are
    /// refused whatever these say (TurnGate's TLS library supports neither).
    public var noTLSv1: Bool
    public var noTLSv1_1: Bool
    public var noTLSv1_2: Bool
    /// coturn's `fingerprint`: add FINGERPRINT (RFC 8489 Section 14.7) to every response, not
    /// only to responses to requests that carried one.
    public var fingerprint: Bool
    /// The SOFTWARE attribute's text (`software-name`, default "TurnGate"); `nil` after
    /// `no-software-attribute`.
    public var softwareName: String?
    /// The lowest level logged: `log-level`, else derived from coturn's `verbose` (debug) and
    /// `Verbose` (trace); ``LogLevel/info`` by default.
    public var logLevel: LogLevel
    /// `log-format`: plain text lines or one JSON object per line.
    public var logFormat: LogFormat
    /// `log-file`: a file to append log lines to; `nil` for none (`log-file=stdout` is
    /// standard output, so it leaves this `nil` and ``stdoutLog`` `true`).
    public var logFile: String?
    /// Whether to log to standard output: `false` after `no-stdout-log`.
    public var stdoutLog: Bool
    /// `syslog` (or `log-file=syslog`): log to the system log (facility daemon) as well.
    public var syslog: Bool
    /// `alternate-server` (repeatable): `IP` or `IP:port` (`[IPv6]:port`) of servers that new
    /// allocations are sent to with 300 Try Alternate while this node drains.
    public var alternateServers: [String]
    /// `redis-userdb`: coturn's connection string (`ip=... port=... dbname=... password=...
    /// connect_timeout=...`) of the Redis holding shared secrets, users and cluster state.
    public var redisUserDB: String?
    /// `redis-statsdb`: coturn's connection string of the Redis receiving allocation events.
    public var redisStatsDB: String?
    /// `room-quota`: the most allocations the credentials of one room (a gateway grant) may
    /// hold at once, cluster-wide with Redis; 0 for no limit.
    public var roomQuota: Int
    /// `redis-optional`: start (counting quotas per node) when Redis cannot be reached.
    public var redisOptional: Bool
    /// `redis-lease`: seconds a cluster-wide quota slot survives without renewal (30), so a
    /// node that dies frees its users' slots.
    public var redisLease: Int
    /// `redis-quota-policy`: what a new allocation gets when the cluster-wide quota cannot be
    /// asked (``RedisQuotaPolicy/open`` by default).
    public var redisQuotaPolicy: RedisQuotaPolicy
    /// `node-id`: this node's name in the cluster (the host name by default).
    public var nodeID: String?
    /// `pidfile`: where to write the process ID; `nil` for nowhere.
    public var pidFile: String?
    /// Whether warnings were turned into errors (`strict-config`, or `strict: true`).
    public var strict: Bool
    /// The file line each supported option was last given on; checks made after loading (a
    /// key file that cannot be read) name it.
    public var optionLines: OptionLines

    // MARK: Fleet

    /// TurnGate's `nonce-secret-file`: a file holding the key nonces are made with (hex or
    /// base64, at least ``minimumNonceKeyBytes`` bytes), so every node given the same file
    /// accepts the others' nonces; nil for a random key per process.
    public var nonceSecretFile: String?
    /// coturn's `stateless-nonce-secret`: a passphrase the nonce key is derived from, so every
    /// node given the same one accepts the others' nonces; nil when not given. A secret, like
    /// ``staticAuthSecrets``.
    public var statelessNonceSecret: String?
    /// TurnGate's `drain-min-allocations`: a drain ends (and the node exits) once the node
    /// holds at most this many allocations. 0 by default.
    public var drainMinAllocations: Int
    /// TurnGate's `drain-timeout`: the longest a drain waits, in seconds, before the node
    /// exits with allocations left. Default ``defaultDrainTimeout``.
    public var drainTimeout: Int
    /// TurnGate's `drain-on-sigterm`: SIGTERM drains instead of stopping at once.
    public var drainOnSigterm: Bool
    /// coturn's `no-stun`: Binding requests get no answer (a TURN-only node).
    public var noStun: Bool
    /// coturn's `stun-only`: TURN requests get no answer (a STUN-only node).
    public var stunOnly: Bool
    /// coturn's `secure-stun`: Binding requests are authenticated like TURN requests.
    public var secureStun: Bool
    /// TurnGate's `cert-reload-interval`: how often, in seconds, the TLS certificate and key
    /// files are checked for a change (modification time and inode, following symbolic links)
    /// and reloaded; 0 turns the check off. Default ``defaultCertReloadInterval``.
    public var certReloadInterval: Int

    // MARK: Authentication

    /// `realm`: the REALM of the long-term credential mechanism (RFC 8489 Section 9.2), fewer
    /// than 128 characters; `nil` when not given, and the caller picks one.
    public var realm: String?
    /// Whether static users authenticate with the long-term credential mechanism: coturn's
    /// `lt-cred-mech`, and also `true` when ``users`` or ``userDB`` is given without it, as
    /// coturn turns the mechanism on for user accounts.
    public var longTermCredentials: Bool
    /// `user` (repeatable): static users as written, `name:password` or `name:0x<32 hex
    /// digits>` (an MD5 key as `turnadmin -k` prints it). The form is checked; when a name
    /// repeats, the last entry counts.
    public var users: [String]
    /// `userdb` (alias `db`): a text file of static users, one `name:password` a line, read by
    /// the caller. (coturn's `userdb` is an SQLite database instead.)
    public var userDB: String?
    /// Whether TURN REST API credentials are accepted (time-limited user names whose password
    /// is an HMAC of ``staticAuthSecrets``): coturn's `use-auth-secret`, and also `true` when
    /// `static-auth-secret` is given without it, as in coturn. Unlike coturn, TurnGate accepts
    /// these together with static users.
    public var restAPICredentials: Bool
    /// `static-auth-secret` (repeatable): the TURN REST API shared secrets, all accepted so
    /// that a secret can be rotated.
    public var staticAuthSecrets: [String]
    /// `rest-api-separator`: the character between the expiry time and the user in a TURN
    /// REST API user name (`:` by default).
    public var restAPISeparator: Character
    /// `false` after coturn's `no-auth`: Allocate requests are relayed without
    /// authentication. With it `true` (the default) and no users or secrets, no one can
    /// authenticate, so every Allocate is refused.
    public var authenticationRequired: Bool
    /// `stale-nonce`: how long, in seconds, a nonce stays valid before a 438 (Stale Nonce)
    /// makes the client authenticate again; 0 for no limit. 600 by default, and when the
    /// option is given without a value.
    public var staleNonce: Int

    // MARK: Relay

    /// `min-port`: the lowest relay port (49152, RFC 8656 Section 7.2).
    public var minPort: Int
    /// `max-port`: the highest relay port (65535); never below ``minPort`` without an error.
    public var maxPort: Int
    /// `relay-ip` (repeatable): the addresses relay sockets bind to, as written; empty means
    /// the caller chooses.
    public var relayIPs: [String]
    /// `external-ip` (repeatable): the public addresses reported in XOR-RELAYED-ADDRESS
    /// instead of relay addresses behind a NAT.
    public var externalIPs: [ExternalIP]
    /// `external-ip=auto`: the relay addresses must be public and are reported as they are;
    /// a node whose relay address is not public refuses to start.
    public var externalIPAuto: Bool
    /// `max-allocate-lifetime`: the longest allocation lifetime granted, in seconds (3600).
    public var maxAllocateLifetime: Int
    /// `channel-lifetime`: how long a channel binding lasts, in seconds (600, RFC 8656
    /// Section 12).
    public var channelLifetime: Int
    /// `permission-lifetime`: how long a permission lasts, in seconds (300, RFC 8656
    /// Section 9).
    public var permissionLifetime: Int
    /// TurnGate's `channel-numbers`: which channel numbers ChannelBind accepts.
    public var channelNumbers: ChannelNumbers

    // MARK: Quotas and bandwidth

    /// `user-quota`: the most allocations (and EVEN-PORT reservations) one user may hold at
    /// once; 0 for no limit. Defaults to ``defaultUserQuota``, not unlimited, so that one
    /// credential cannot take every relay port.
    public var userQuota: Int
    /// `total-quota`: the most allocations (and EVEN-PORT reservations) the server holds at
    /// once; 0 for no limit; nil when not set, which means ``effectiveTotalQuota``.
    public var totalQuota: Int?
    /// TurnGate's `challenge-rate`: the 401 and 438 challenges one source address (IPv6: one
    /// /64) is sent per second, twice that at once; past it unauthenticated requests from the
    /// source are dropped and counted. 0 for no limit. Default ``defaultChallengeRate``.
    public var challengeRate: Int
    /// coturn's `relay-threads`: how many UDP engines relay, each a thread with its own
    /// listener sockets and allocations; 0 (the default) for one per core.
    public var relayThreads: Int
    /// TurnGate's `relay-engine`: how the UDP engines wait for datagrams.
    public var relayEngine: RelayEngine
    /// TurnGate's `relay-batch-wait`: the longest, in microseconds, a busy engine turn waits
    /// to gather more datagrams before handling them (0: none). Default ``defaultRelayBatchWait``.
    public var relayBatchWait: Int
    /// coturn's `sock-buf-size`: the receive and send buffer of each UDP listener socket, in
    /// bytes (capped by the kernel's `rmem_max`/`wmem_max`). Default ``defaultSockBufSize``,
    /// coturn's.
    public var sockBufSize: Int
    /// coturn's `max-bps`: the bandwidth one allocation may use, in bytes per second (coturn's
    /// unit despite the name), each direction on its own; 0 for no limit.
    public var maxBytesPerSecond: Int
    /// coturn's `bps-capacity`: the bandwidth all allocations together may use, in bytes per
    /// second, each direction on its own; 0 for no limit. A limit needs ``maxBytesPerSecond``.
    public var bytesPerSecondCapacity: Int

    // MARK: Peers

    /// `allowed-peer-ip` (repeatable): peer addresses let through even when denied: an
    /// address, a CIDR block `a/n` or a range `a-b`, read by `IPAddressRange(parsing:)`.
    public var allowedPeerIPs: [IPAddressRange]
    /// `denied-peer-ip` (repeatable): peer addresses refused, in the same forms as
    /// ``allowedPeerIPs``.
    public var deniedPeerIPs: [IPAddressRange]
    /// `allow-loopback-peers`: let clients reach loopback peers. For local testing only.
    public var allowLoopbackPeers: Bool
    /// `no-multicast-peers`: refuse multicast peers. TurnGate's peer policy refuses them
    /// whether or not this is set; the flag is kept for coturn configurations.
    public var noMulticastPeers: Bool

    // MARK: Monitoring

    /// coturn's `prometheus`: serve the metrics in Prometheus' text format at `/metrics`.
    public var prometheusEnabled: Bool
    /// coturn's `prometheus-port`: the metrics endpoint's TCP port (9641, coturn's default).
    public var prometheusPort: Int
    /// coturn's `prometheus-address`: the address the metrics endpoint listens on; nil for
    /// the loopback address 127.0.0.1 (coturn binds every IPv4 address, 0.0.0.0).
    public var prometheusAddress: String?
    /// coturn's `prometheus-path`: where the metrics endpoint serves them (`/metrics`).
    public var prometheusPath: String
    /// coturn's `prometheus-tls`: serve the metrics over HTTPS only (it turns `prometheus` on).
    public var prometheusTLS: Bool
    /// coturn's `prometheus-cert`: the metrics endpoint's PEM certificate chain; nil for `cert`.
    public var prometheusCertificateFile: String?
    /// coturn's `prometheus-key`: the metrics endpoint's PEM private key; nil for `pkey`.
    public var prometheusPrivateKeyFile: String?
    /// coturn's default metrics port.
    public static let defaultPrometheusPort = 9641
    /// The metrics endpoint's address when `prometheus-address` is not given.
    public static let defaultPrometheusAddress = "127.0.0.1"

    // MARK: Connection limits

    /// The limits on TCP and TLS client connections and on metrics endpoint connections.
    public var connectionLimits: ConnectionLimits

    // MARK: Credential gateway

    /// `api-listening-ip` (repeatable): the addresses of the HTTP API listener, as written.
    /// Empty means every IPv4 address: the caller binds `0.0.0.0`.
    public var apiListeningIPs: [String]
    /// `api-listening-port`: the HTTP API listener's TCP port; `nil` when the gateway is off.
    /// With it, the configuration also has a JWT key and a `static-auth-secret`.
    public var apiListeningPort: Int?
    /// `api-cert`: a PEM certificate chain; with ``apiPrivateKeyFile`` (never without it) the
    /// API listener speaks HTTPS.
    public var apiCertificateFile: String?
    /// `api-pkey`: the PEM private key of ``apiCertificateFile``.
    public var apiPrivateKeyFile: String?
    /// `jwt-secret` (repeatable, for rotation): HMAC keys for HS256, HS384 and HS512 tokens.
    /// Secrets: the caller wraps them before use and never logs them, and no diagnostic repeats
    /// them.
    public var jwtSecrets: [String]
    /// `jwt-public-key-file` (repeatable): PEM public keys (RSA, EC P-256/P-384, Ed25519) for
    /// RS*, PS*, ES* and EdDSA tokens, read by the caller.
    public var jwtPublicKeyFiles: [String]
    /// `jwt-jwks-file`: a JSON Web Key Set file, read by the caller.
    public var jwtJWKSFile: String?
    /// `jwt-jwks-url`: a JSON Web Key Set URL (`http://` or `https://`), fetched by the caller.
    public var jwtJWKSURL: String?
    /// `jwt-issuer` (repeatable): the accepted `iss` values; empty accepts any.
    public var jwtIssuers: [String]
    /// `jwt-audience` (repeatable): the accepted `aud` values; empty accepts any.
    public var jwtAudiences: [String]
    /// `jwt-leeway`: seconds of clock skew allowed for `exp`, `nbf` and `iat` (60; 0-3600).
    public var jwtLeeway: Int
    /// `jwt-max-lifetime`: the longest `exp - iat` accepted, in seconds (86400; 1 or more).
    public var jwtMaxLifetime: Int
    /// `jwt-required-claim` (repeatable): claims a token must carry, each with its value.
    public var jwtRequiredClaims: [RequiredClaim]
    /// `jwt-user-claim`: the claim naming the user (`sub`).
    public var jwtUserClaim: String
    /// `credential-ttl`: a minted credential's lifetime in seconds (3600; 60-604800).
    public var credentialTTL: Int
    /// `turn-uris` (repeatable, and comma-separated lists): the `turn:`, `turns:` and `stun:`
    /// URIs returned with a credential, in order.
    public var turnURIs: [String]
    /// `api-rate-limit`: credential requests allowed per client IP and per user (50 per 60 s);
    /// `nil` after `api-rate-limit=off`.
    public var apiRateLimit: RateLimit?
    /// `api-connection-limit`: the most connections open at once on each of the gateway's
    /// listeners (each `api-listening-ip`, and `admin-listening-port`), 1 or more (1024);
    /// further connections wait in the listen backlog until one closes.
    public var apiConnectionLimit: Int
    /// `api-allowed-ip` (repeatable): client addresses allowed to call the API, in the forms of
    /// ``allowedPeerIPs``; empty allows any not denied.
    public var apiAllowedIPs: [IPAddressRange]
    /// `api-denied-ip` (repeatable): client addresses refused, in the forms of
    /// ``allowedPeerIPs``.
    public var apiDeniedIPs: [IPAddressRange]
    /// `api-cors-origin` (repeatable): the origins CORS allows, `*` for any, or origins such as
    /// `https://app.example.com` (no path); empty allows none.
    public var apiCORSOrigins: [String]
    /// `ice-test-page`: serve the operator's ICE test page at `GET /ice-test` on the API
    /// listener (off).
    public var iceTestPage: Bool
    /// The signaling options (`no-signaling`, `signal-*`).
    public var signaling = Signaling()
    /// `security-log-file`: the file that also receives the gateway's security events, one
    /// JSON object per line; nil for none.
    public var securityLogFile: String?
    /// `admin-token-file`: a file holding the admin API's bearer token; `nil` when the admin
    /// API is off.
    public var adminTokenFile: String?
    /// `admin-listening-port`: a port serving the admin API only; `nil` to serve it on the API
    /// listener. Never without ``adminTokenFile``, never ``apiListeningPort``.
    public var adminListeningPort: Int?
    /// `bandwidth-class` (repeatable): the bandwidth each JWT `permissions` name grants (audio
    /// 100, video 1000, screen 2500 kbit/s); the first `bandwidth-class` replaces these, and
    /// a name given again keeps its last bandwidth. Names are unique.
    public var bandwidthClasses: [BandwidthClass]
    /// `credential-expiry-policy`: when a TURN REST API credential's expiry is checked
    /// (``CredentialExpiryPolicy/allocate``, as coturn).
    public var credentialExpiryPolicy: CredentialExpiryPolicy

    /// The defaults: every address, port 3478, UDP and TCP, no forced FINGERPRINT, SOFTWARE
    /// "TurnGate", info-level text logs on standard output only, no PID file, not strict; no
    /// realm, users or secrets, authentication required, `:` as REST separator, nonces stale
    /// after 600 s; relay ports 49152-65535 on addresses the caller picks, no external address,
    /// lifetimes of 3600 s (allocation cap), 600 s (channel) and 300 s (permission), RFC 5766
    /// channel numbers; no quotas or bandwidth limits; no peer lists, no loopback peers; the
    /// credential gateway and admin API off, with the gateway defaults of
    /// `docs/gateway.md` (a 60 s JWT leeway, day-long tokens, `sub` as user claim, one-hour
    /// credentials, 50 requests per 60 s, the audio, video and screen classes, and expiry checked
    /// on Allocate).
    public init() {
        self.listeningIPs = []
        self.listeningPort = Self.defaultListeningPort
        self.udpEnabled = true
        self.tcpEnabled = true
        self.rfc5780 = false
        self.tcpRelayEnabled = true
        self.tlsListeningPort = 5349
        self.tlsEnabled = true
        self.certificateFile = nil
        self.privateKeyFile = nil
        self.cipherList = nil
        self.noTLSv1 = false
        self.noTLSv1_1 = false
        self.noTLSv1_2 = false
        self.fingerprint = false
        self.softwareName = Self.defaultSoftwareName
        self.logLevel = .info
        self.logFormat = .text
        self.logFile = nil
        self.stdoutLog = true
        self.pidFile = nil
        self.syslog = false
        self.redisUserDB = nil
        self.redisStatsDB = nil
        self.roomQuota = 0
        self.redisOptional = false
        self.redisLease = 30
        self.redisQuotaPolicy = .open
        self.nodeID = nil
        self.nonceSecretFile = nil
        self.statelessNonceSecret = nil
        self.optionLines = OptionLines()
        self.drainMinAllocations = 0
        self.drainTimeout = Self.defaultDrainTimeout
        self.drainOnSigterm = false
        self.noStun = false
        self.stunOnly = false
        self.secureStun = false
        self.certReloadInterval = Self.defaultCertReloadInterval
        self.alternateServers = []
        self.strict = false
        self.realm = nil
        self.longTermCredentials = false
        self.users = []
        self.userDB = nil
        self.restAPICredentials = false
        self.staticAuthSecrets = []
        self.restAPISeparator = Self.defaultRESTAPISeparator
        self.authenticationRequired = true
        self.staleNonce = Self.defaultStaleNonce
        self.minPort = Self.defaultMinPort
        self.maxPort = Self.defaultMaxPort
        self.relayIPs = []
        self.externalIPs = []
        self.externalIPAuto = false
        self.maxAllocateLifetime = Self.defaultMaxAllocateLifetime
        self.channelLifetime = Self.defaultChannelLifetime
        self.permissionLifetime = Self.defaultPermissionLifetime
        self.channelNumbers = .rfc5766
        self.userQuota = Self.defaultUserQuota
        self.totalQuota = nil
        self.challengeRate = Self.defaultChallengeRate
        self.relayThreads = 0
        self.relayEngine = .auto
        self.relayBatchWait = Self.defaultRelayBatchWait
        self.sockBufSize = Self.defaultSockBufSize
        self.maxBytesPerSecond = 0
        self.bytesPerSecondCapacity = 0
        self.allowedPeerIPs = []
        self.deniedPeerIPs = []
        self.allowLoopbackPeers = false
        self.noMulticastPeers = false
        self.prometheusEnabled = false
        self.prometheusPort = Self.defaultPrometheusPort
        self.prometheusAddress = nil
        self.prometheusPath = "/metrics"
        self.prometheusTLS = false
        self.prometheusCertificateFile = nil
        self.prometheusPrivateKeyFile = nil
        self.connectionLimits = ConnectionLimits()
        self.apiListeningIPs = []
        self.apiListeningPort = nil
        self.apiCertificateFile = nil
        self.apiPrivateKeyFile = nil
        self.jwtSecrets = []
        self.jwtPublicKeyFiles = []
        self.jwtJWKSFile = nil
        self.jwtJWKSURL = nil
        self.jwtIssuers = []
        self.jwtAudiences = []
        self.jwtLeeway = Self.defaultJWTLeeway
        self.jwtMaxLifetime = Self.defaultJWTMaxLifetime
        self.jwtRequiredClaims = []
        self.jwtUserClaim = Self.defaultJWTUserClaim
        self.credentialTTL = Self.defaultCredentialTTL
        self.turnURIs = []
        self.apiRateLimit = Self.defaultAPIRateLimit
        self.apiConnectionLimit = Self.defaultAPIConnectionLimit
        self.apiAllowedIPs = []
        self.apiDeniedIPs = []
        self.apiCORSOrigins = []
        self.iceTestPage = false
        self.adminTokenFile = nil
        self.adminListeningPort = nil
        self.bandwidthClasses = Self.defaultBandwidthClasses
        self.credentialExpiryPolicy = .allocate
    }
}
