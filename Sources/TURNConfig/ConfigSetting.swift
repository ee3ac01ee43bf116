/// The typed setting of ``TURNServerConfiguration`` that a supported option feeds.
///
/// Supporting one more coturn option takes three steps, all checked by the compiler: a case here,
/// `.supported(.thatCase)` on its line of ``ConfigKey/catalogue``, and the field it sets in
/// ``ConfigurationLoader``'s exhaustive switch.
enum ConfigSetting: Hashable, Sendable, CaseIterable {
    /// `listening-ip`: one more address to listen on.
    case listeningIP
    /// `listening-port`: the UDP and TCP port.
    case listeningPort
    /// `no-udp`: no UDP listener.
    case noUDP
    /// `no-tcp`: no TCP listener.
    case noTCP
    /// `no-tcp-relay`: no TCP allocations (RFC 6062).
    case noTCPRelay
    /// `tls-listening-port`: the TURN-over-TLS port.
    case tlsListeningPort
    /// `no-tls`: no TLS listener.
    case noTLS
    /// `cert`: the TLS certificate chain (PEM).
    case certificate
    /// `pkey`: the TLS private key (PEM).
    case privateKey
    /// `cipher-list`: OpenSSL cipher list for TLS 1.2 and earlier.
    case cipherList
    /// `no-tlsv1`: refuse TLS 1.0.
    case noTLSv1
    /// `no-tlsv1_1`: refuse TLS 1.1.
    case noTLSv1_1
    /// `no-tlsv1_2`: refuse TLS 1.2.
    case noTLSv1_2
    /// `fingerprint`: FINGERPRINT on every response.
    case fingerprint
    /// `no-software-attribute`: no SOFTWARE attribute (coturn 4.6 and earlier).
    case noSoftwareAttribute
    /// `software-attribute`: send the SOFTWARE attribute (coturn's newer spelling, inverted).
    case softwareAttribute
    /// `verbose`: coturn's moderate verbosity.
    case verbose
    /// `Verbose`: coturn's extra verbosity.
    case extraVerbose
    /// `log-file`: a file to log to (`stdout` and `-` mean standard output).
    case logFile
    /// `no-stdout-log`: do not log to standard output.
    case noStdoutLog
    /// `syslog`: log to the system log too.
    case syslog
    /// `alternate-server`: a server to send clients to while draining (300 Try Alternate).
    case alternateServer
    /// `redis-userdb`: coturn's Redis connection string for secrets, users and cluster state.
    case redisUserDB
    /// `redis-statsdb`: coturn's Redis connection string for allocation events.
    case redisStatsDB
    /// `room-quota`: the most allocations of one room.
    case roomQuota
    /// `challenge-rate`: 401/438 challenges per second per source address.
    case challengeRate
    /// `relay-threads`: how many UDP engines (threads) relay; 0 for one per core.
    case relayThreads
    /// `sock-buf-size`: the listener sockets' receive and send buffer size in bytes.
    case sockBufSize
    /// `relay-engine`: the UDP engine's backend (auto, io-uring, epoll).
    case relayEngine
    /// `relay-batch-wait`: microseconds a busy engine turn waits to gather more datagrams.
    case relayBatchWait
    /// `redis-optional`: start even when Redis cannot be reached.
    case redisOptional
    /// `redis-lease`: seconds a cluster quota slot lives without renewal.
    case redisLease
    /// `redis-quota-policy`: what admission does when Redis cannot answer.
    case redisQuotaPolicy
    /// `node-id`: this node's name in the cluster.
    case nodeID
    /// `pidfile`: where to write the process ID.
    case pidFile
    /// `software-name`: TurnGate's SOFTWARE text.
    case softwareName
    /// `log-level`: TurnGate's explicit log level.
    case logLevel
    /// `log-format`: TurnGate's log line format.
    case logFormat
    /// `strict-config`: warnings are errors.
    case strictConfig
    /// `realm`: the REALM of the long-term credential mechanism.
    case realm
    /// `lt-cred-mech`: the long-term credential mechanism with static users.
    case ltCredMech
    /// `no-auth`: relay without authentication.
    case noAuth
    /// `use-auth-secret`: TURN REST API credentials.
    case useAuthSecret
    /// `static-auth-secret`: one more TURN REST API shared secret.
    case staticAuthSecret
    /// `rest-api-separator`: between expiry and user name in a TURN REST API user name.
    case restAPISeparator
    /// `user`: one more static user.
    case user
    /// `userdb`: a file of static users.
    case userDB
    /// `stale-nonce`: how long a nonce lasts.
    case staleNonce
    /// `min-port`: the lowest relay port.
    case minPort
    /// `max-port`: the highest relay port.
    case maxPort
    /// `relay-ip`: one more relay address.
    case relayIP
    /// `external-ip`: one more public address (or public/private mapping).
    case externalIP
    /// `max-allocate-lifetime`: the longest allocation lifetime granted.
    case maxAllocateLifetime
    /// `channel-lifetime`: how long a channel binding lasts.
    case channelLifetime
    /// `permission-lifetime`: how long a permission lasts.
    case permissionLifetime
    /// `user-quota`: allocations per user.
    case userQuota
    /// `total-quota`: allocations on the server.
    case totalQuota
    /// `max-bps`: bandwidth of one allocation.
    case maxBPS
    /// `bps-capacity`: bandwidth of the whole server.
    case bpsCapacity
    /// `allowed-peer-ip`: one more peer range let through.
    case allowedPeerIP
    /// `denied-peer-ip`: one more peer range refused.
    case deniedPeerIP
    /// `allow-loopback-peers`: loopback peers allowed.
    case allowLoopbackPeers
    /// `no-multicast-peers`: multicast peers refused.
    case noMulticastPeers
    /// `channel-numbers`: TurnGate's ChannelBind number range.
    case channelNumbers
    /// `prometheus`: serve Prometheus metrics.
    case prometheus
    /// `prometheus-port`: the port of the metrics endpoint.
    case prometheusPort
    /// `prometheus-address`: the address of the metrics endpoint.
    case prometheusAddress
    /// `prometheus-connection-limit`: the most metrics endpoint connections at once.
    case prometheusConnectionLimit
    /// `prometheus-idle-timeout`: seconds a metrics connection may go without a request.
    case prometheusIdleTimeout
    /// `tcp-connection-limit`: the most TCP and TLS client connections at once.
    case tcpConnectionLimit
    /// `tcp-connections-per-ip`: the most TCP and TLS client connections of one source.
    case tcpConnectionsPerIP
    /// `tcp-first-frame-timeout`: seconds to the first complete frame of a connection.
    case tcpFirstFrameTimeout
    /// `tls-handshake-timeout`: seconds a TLS handshake may take.
    case tlsHandshakeTimeout
    /// `tcp-idle-timeout`: seconds a connection may go without a complete frame.
    case tcpIdleTimeout
    /// `api-listening-ip`: one more address of the credential gateway's HTTP listener.
    case apiListeningIP
    /// `api-listening-port`: the credential gateway's port; the gateway is off without it.
    case apiListeningPort
    /// `api-cert`: the HTTPS certificate chain of the gateway.
    case apiCert
    /// `api-pkey`: the HTTPS private key of the gateway.
    case apiPKey
    /// `jwt-secret`: one more HMAC key for JWTs.
    case jwtSecret
    /// `jwt-public-key-file`: one more PEM public key for JWTs.
    case jwtPublicKeyFile
    /// `jwt-jwks-file`: a JWKS file.
    case jwtJWKSFile
    /// `jwt-jwks-url`: a JWKS URL.
    case jwtJWKSURL
    /// `jwt-issuer`: one more accepted `iss`.
    case jwtIssuer
    /// `jwt-audience`: one more accepted `aud`.
    case jwtAudience
    /// `jwt-leeway`: the clock skew allowed.
    case jwtLeeway
    /// `jwt-max-lifetime`: the longest token lifetime accepted.
    case jwtMaxLifetime
    /// `jwt-required-claim`: one more `name=value` claim a token must carry.
    case jwtRequiredClaim
    /// `jwt-user-claim`: the claim naming the user.
    case jwtUserClaim
    /// `credential-ttl`: the lifetime of a minted credential.
    case credentialTTL
    /// `turn-uris`: more URIs returned with a credential.
    case turnURIs
    /// `api-rate-limit`: credential requests allowed per window.
    case apiRateLimit
    /// `api-connection-limit`: the most connections open at once on each gateway listener.
    case apiConnectionLimit
    /// `api-allowed-ip`: one more client range allowed to call the API.
    case apiAllowedIP
    /// `api-denied-ip`: one more client range refused by the API.
    case apiDeniedIP
    /// `api-cors-origin`: one more origin allowed by CORS.
    case apiCORSOrigin
    /// `ice-test-page`: serve the operator's ICE test page at `GET /ice-test`.
    case iceTestPage
    /// `no-signaling`: no WebSocket signaling on the API listener.
    case noSignaling
    /// `signal-open-rooms`: a token without a room claim may join any room.
    case signalOpenRooms
    /// `signal-room-max-peers`: peers per signaling room.
    case signalRoomMaxPeers
    /// `signal-max-message-size`: bytes per signaling message.
    case signalMaxMessageSize
    /// `signal-message-rate`: signaling messages per second per connection.
    case signalMessageRate
    /// `signal-user-connections`: signaling sockets per user on one node.
    case signalUserConnections
    /// `signal-auth-timeout`: seconds a signaling socket has to authenticate.
    case signalAuthTimeout
    /// `signal-ping-interval`: seconds between signaling keep-alive pings.
    case signalPingInterval
    /// `security-log-file`: the file of security events.
    case securityLogFile
    /// `admin-token-file`: the admin API's bearer token file.
    case adminTokenFile
    /// `admin-listening-port`: a port of the admin API's own.
    case adminListeningPort
    /// `bandwidth-class`: one more `name=kbps` class.
    case bandwidthClass
    /// `credential-expiry-policy`: when a REST credential's expiry is checked.
    case credentialExpiryPolicy
    /// `nonce-secret-file`: the nonce key shared by a fleet.
    case nonceSecretFile
    /// `stateless-nonce-secret`: a passphrase the fleet's nonce key is derived from.
    case statelessNonceSecret
    /// `drain-min-allocations`: a drain ends at this many allocations.
    case drainMinAllocations
    /// `drain-timeout`: the longest a drain waits.
    case drainTimeout
    /// `drain-on-sigterm`: SIGTERM drains.
    case drainOnSigterm
    /// `cert-reload-interval`: how often the TLS files are checked for a change.
    case certReloadInterval
    /// `no-stun`: Binding requests are not answered.
    case noStun
    /// `stun-only`: TURN requests are not handled.
    case stunOnly
    /// `prometheus-path`: the metrics endpoint's path.
    case prometheusPath
    /// `prometheus-tls`: serve the metrics over HTTPS.
    case prometheusTLS
    /// `prometheus-cert`: the metrics endpoint's certificate chain.
    case prometheusCertificate
    /// `prometheus-key`: the metrics endpoint's private key.
    case prometheusKey
    /// `rfc5780`: NAT behaviour discovery on two listening addresses.
    case rfc5780
    /// coturn's `unauthorized-ratelimit`: 401s limited per source (TurnGate's `challenge-rate`,
    /// always on, at coturn's 10 per second when this is given alone).
    case unauthorizedRatelimit
    /// coturn's `unauthorized-ratelimit-rps`: the limit of `challenge-rate`, in coturn's name.
    case unauthorizedRatelimitRPS
    /// `secure-stun`: Binding requests are authenticated.
    case secureStun
}
