extension ConfigKey {
    /// Every option TurnGate recognises.
    ///
    /// coturn's part is every option of its example `turnserver.conf` and every long option of
    /// coturn 4.17.1's `turnserver` (`long_options` in `src/apps/relay/mainrelay.c`), except
    /// `--version`, which the executable handles. Arity follows coturn: `optional_argument`
    /// switches are flags, `required_argument` options take values, and the options that fall
    /// back to a default when bare (four lifetimes, `unauthorized-ratelimit-rps`) take optional
    /// values. To support an option, replace the
    /// end of its line with `.supported(.itsSetting)` (see ``ConfigSetting``).
    static let catalogue: [ConfigKey] = [
        // Listeners.
        .coturn("listening-device", .value, short: "d"),
        .coturn("listening-port", .value, short: "p", .supported(.listeningPort)),
        .coturn("tls-listening-port", .value, .supported(.tlsListeningPort)),
        .coturn("alt-listening-port", .value),
        .coturn("alt-tls-listening-port", .value),
        .coturn("tcp-proxy-port", .value),
        .coturn("listening-ip", .value, repeatable: true, short: "L", .supported(.listeningIP)),
        .coturn("aux-server", .value, repeatable: true),
        .coturn("udp-self-balance", .flag),
        .coturn("no-udp", .flag, .supported(.noUDP)),
        .coturn("no-tcp", .flag, .supported(.noTCP)),
        .coturn("no-tls", .flag, .supported(.noTLS)),
        .coturn("no-dtls", .flag),
        // Relay endpoints.
        .coturn("relay-device", .value, short: "i"),
        .coturn("relay-ip", .value, repeatable: true, short: "E", .supported(.relayIP)),
        .coturn("external-ip", .value, repeatable: true, short: "X", .supported(.externalIP)),
        .coturn("relay-threads", .value, short: "m", .supported(.relayThreads)),
        .coturn("min-port", .value, .supported(.minPort)),
        .coturn("max-port", .value, .supported(.maxPort)),
        .coturn("no-udp-relay", .flag),
        .coturn("no-tcp-relay", .flag, .supported(.noTCPRelay)),
        .coturn("server-relay", .flag),
        .coturn("keep-address-family", .flag, short: "K"),
        .coturn("allocation-default-address-family", .value, short: "A"),
        // Authentication and users.
        .coturn("lt-cred-mech", .flag, short: "a", .supported(.ltCredMech)),
        .coturn("no-auth", .flag, short: "z", .supported(.noAuth)),
        .coturn("use-auth-secret", .flag, .supported(.useAuthSecret)),
        .coturn("static-auth-secret", .value, repeatable: true, .supported(.staticAuthSecret)),
        .coturn("rest-api-separator", .value, short: "C", .supported(.restAPISeparator)),
        .coturn("user", .value, repeatable: true, short: "u", .supported(.user)),
        .coturn("realm", .value, short: "r", .supported(.realm)),
        .coturn("server-name", .value),
        .coturn("oauth", .flag),
        .coturn("check-origin-consistency", .flag),
        .coturn("secure-stun", .flag, .supported(.secureStun)),
        .coturn("no-auth-pings", .flag),
        .coturn("no-dynamic-ip-list", .flag),
        .coturn("no-dynamic-realms", .flag),
        // User and statistics databases.
        .coturn("userdb", .value, short: "b", aliases: ["db"], .supported(.userDB)),
        .coturn("psql-userdb", .value, short: "e", aliases: ["sql-userdb"]),
        .coturn("mysql-userdb", .value, short: "M"),
        .coturn("mongo-userdb", .value, short: "J"),
        .coturn("redis-userdb", .value, short: "N", .supported(.redisUserDB)),
        .coturn("redis-statsdb", .value, short: "O", .supported(.redisStatsDB)),
        .coturn("secret-key-file", .value),
        // Quotas, bandwidth and lifetimes.
        .coturn("user-quota", .value, short: "q", .supported(.userQuota)),
        .coturn("total-quota", .value, short: "Q", .supported(.totalQuota)),
        .coturn("max-bps", .value, short: "s", .supported(.maxBPS)),
        .coturn("bps-capacity", .value, short: "B", .supported(.bpsCapacity)),
        .coturn("stale-nonce", .optionalValue, .supported(.staleNonce)),
        .coturn("max-allocate-lifetime", .optionalValue, .supported(.maxAllocateLifetime)),
        .coturn("channel-lifetime", .optionalValue, .supported(.channelLifetime)),
        .coturn("permission-lifetime", .optionalValue, .supported(.permissionLifetime)),
        .coturn("max-allocate-timeout", .value),
        // Peer address policy.
        .coturn("allowed-peer-ip", .value, repeatable: true, .supported(.allowedPeerIP)),
        .coturn("denied-peer-ip", .value, repeatable: true, .supported(.deniedPeerIP)),
        .coturn("no-multicast-peers", .flag, .supported(.noMulticastPeers)),
        .coturn("allow-loopback-peers", .flag, .supported(.allowLoopbackPeers)),
        // STUN behaviour.
        .coturn("fingerprint", .flag, short: "f", .supported(.fingerprint)),
        .coturn("no-software-attribute", .flag, .supported(.noSoftwareAttribute)),
        .coturn("software-attribute", .flag, .supported(.softwareAttribute)),
        .coturn("stun-only", .flag, short: "S", .supported(.stunOnly)),
        .coturn("no-stun", .flag, .supported(.noStun)),
        .coturn("mobility", .flag),
        .coturn("alternate-server", .value, repeatable: true, .supported(.alternateServer)),
        .coturn("tls-alternate-server", .value, repeatable: true),
        .coturn("no-rfc5780", .flag),
        .coturn("no-stun-backward-compatibility", .flag),
        .coturn("response-origin-only-with-rfc5780", .flag),
        .coturn("respond-http-unsupported", .flag),
        // TLS and DTLS.
        .coturn("cert", .value, .supported(.certificate)),
        .coturn("pkey", .value, .supported(.privateKey)),
        .coturn("pkey-pwd", .value),
        .coturn("raw-public-keys", .flag),
        .coturn("cipher-list", .value, .supported(.cipherList)),
        .coturn("CA-file", .value),
        .coturn("ec-curve-name", .value),
        .coturn("dh566", .flag),
        .coturn("dh1066", .flag),
        .coturn("dh-file", .value),
        .coturn("no-tlsv1", .flag, .supported(.noTLSv1)),
        .coturn("no-tlsv1_1", .flag, .supported(.noTLSv1_1)),
        .coturn("no-tlsv1_2", .flag, .supported(.noTLSv1_2)),
        // Logging.
        .coturn("verbose", .flag, short: "v", .supported(.verbose)),
        .coturn("Verbose", .flag, short: "V", .supported(.extraVerbose)),
        .coturn("log-file", .value, short: "l", .supported(.logFile)),
        .coturn("no-stdout-log", .flag, .supported(.noStdoutLog)),
        .coturn("syslog", .flag, .supported(.syslog)),
        .coturn("syslog-facility", .value),
        .coturn("simple-log", .flag),
        .coturn("new-log-timestamp", .flag),
        .coturn("new-log-timestamp-format", .value),
        .coturn("log-binding", .flag),
        // Process.
        .coturn("pidfile", .value, .supported(.pidFile)),
        .coturn("daemon", .flag, short: "o"),
        .coturn("proc-user", .value),
        .coturn("proc-group", .value),
        .coturn("ne", .value),
        // Monitoring and administration.
        .coturn("prometheus", .flag, .supported(.prometheus)),
        .coturn("prometheus-port", .value, .supported(.prometheusPort)),
        .coturn("prometheus-address", .value, .supported(.prometheusAddress)),
        .coturn("prometheus-username-labels", .flag),
        .coturn("no-cli", .flag),
        .coturn("cli-ip", .value),
        .coturn("cli-port", .value),
        .coturn("cli-password", .value),
        .coturn("cli-max-output-sessions", .value),
        .coturn("web-admin", .flag),
        .coturn("web-admin-ip", .value),
        .coturn("web-admin-port", .value),
        .coturn("web-admin-listen-on-workers", .flag),
        .coturn("acme-redirect", .value),
        // Added by coturn 4.7 to 4.17.1 (its `long_options`), recognised so that a command line
        // or file written for a current coturn loads.
        .coturn("prometheus-path", .value, .supported(.prometheusPath)),
        .coturn("prometheus-tls", .flag, .supported(.prometheusTLS)),
        .coturn("prometheus-cert", .value, .supported(.prometheusCertificate)),
        .coturn("prometheus-key", .value, .supported(.prometheusKey)),
        .coturn("dtls", .flag),
        .coturn("log-min-level", .value),
        .coturn("tcp-alternate-server", .value, repeatable: true),
        .coturn("udp-alternate-server", .value, repeatable: true),
        .coturn("cli", .flag),
        .coturn("tlsv1", .flag),
        .coturn("tlsv1_1", .flag),
        .coturn("rfc5780", .flag, .supported(.rfc5780)),
        .coturn("stun-backward-compatibility", .flag),
        .coturn("rfc5766-channel-numbers", .flag),
        .coturn("rfc3489-compatibility", .flag),
        .coturn("drop-invalid-packets", .flag),
        .coturn("drop-invalid-packets-log", .flag),
        .coturn("udp-recvmmsg", .flag),
        .coturn("udp-recvmmsg-log", .flag),
        .coturn("udp-sendmmsg-log", .flag),
        .coturn("udp-gso", .flag),
        .coturn("include-reason-string", .flag),
        .coturn("multiplex-peer", .flag),
        .coturn("multiplex-peer-port", .value),
        .coturn("multiplex-peer-max-peers", .value),
        .coturn("cpus", .value),
        .coturn("unauthorized-ratelimit", .flag, .supported(.unauthorizedRatelimit)),
        .coturn("unauthorized-ratelimit-rps", .optionalValue, .supported(.unauthorizedRatelimitRPS)),
        .coturn("stateless-nonce", .flag),
        .coturn("stateless-nonce-secret", .value, .supported(.statelessNonceSecret)),
        // TurnGate's own options.
        .turnGate("software-name", .value, .softwareName),
        .turnGate("log-level", .value, .logLevel),
        .turnGate("log-format", .value, .logFormat),
        .turnGate("strict-config", .flag, .strictConfig),
        .turnGate("channel-numbers", .value, .channelNumbers),
        .turnGate("room-quota", .value, .roomQuota),
        .turnGate("challenge-rate", .value, .challengeRate),
        .coturn("sock-buf-size", .value, .supported(.sockBufSize)),
        .turnGate("relay-engine", .value, .relayEngine),
        .turnGate("relay-batch-wait", .value, .relayBatchWait),
        .turnGate("redis-optional", .flag, .redisOptional),
        .turnGate("redis-lease", .value, .redisLease),
        .turnGate("redis-quota-policy", .value, .redisQuotaPolicy),
        .turnGate("node-id", .value, .nodeID),
        .turnGate("nonce-secret-file", .value, .nonceSecretFile),
        .turnGate("drain-min-allocations", .value, .drainMinAllocations),
        .turnGate("drain-timeout", .value, .drainTimeout),
        .turnGate("drain-on-sigterm", .flag, .drainOnSigterm),
        .turnGate("cert-reload-interval", .value, .certReloadInterval),
        .turnGate("tcp-connection-limit", .value, .tcpConnectionLimit),
        .turnGate("tcp-connections-per-ip", .value, .tcpConnectionsPerIP),
        .turnGate("tcp-first-frame-timeout", .value, .tcpFirstFrameTimeout),
        .turnGate("tls-handshake-timeout", .value, .tlsHandshakeTimeout),
        .turnGate("tcp-idle-timeout", .value, .tcpIdleTimeout),
        .turnGate("prometheus-connection-limit", .value, .prometheusConnectionLimit),
        .turnGate("prometheus-idle-timeout", .value, .prometheusIdleTimeout),
        // TurnGate's credential gateway (docs/gateway.md).
        .turnGate("api-listening-ip", .value, repeatable: true, .apiListeningIP),
        .turnGate("api-listening-port", .value, .apiListeningPort),
        .turnGate("api-cert", .value, .apiCert),
        .turnGate("api-pkey", .value, .apiPKey),
        .turnGate("jwt-secret", .value, repeatable: true, .jwtSecret),
        .turnGate("jwt-public-key-file", .value, repeatable: true, .jwtPublicKeyFile),
        .turnGate("jwt-jwks-file", .value, .jwtJWKSFile),
        .turnGate("jwt-jwks-url", .value, .jwtJWKSURL),
        .turnGate("jwt-issuer", .value, repeatable: true, .jwtIssuer),
        .turnGate("jwt-audience", .value, repeatable: true, .jwtAudience),
        .turnGate("jwt-leeway", .value, .jwtLeeway),
        .turnGate("jwt-max-lifetime", .value, .jwtMaxLifetime),
        .turnGate("jwt-required-claim", .value, repeatable: true, .jwtRequiredClaim),
        .turnGate("jwt-user-claim", .value, .jwtUserClaim),
        .turnGate("credential-ttl", .value, .credentialTTL),
        .turnGate("turn-uris", .value, repeatable: true, .turnURIs),
        .turnGate("api-rate-limit", .value, .apiRateLimit),
        .turnGate("api-connection-limit", .value, .apiConnectionLimit),
        .turnGate("api-allowed-ip", .value, repeatable: true, .apiAllowedIP),
        .turnGate("api-denied-ip", .value, repeatable: true, .apiDeniedIP),
        .turnGate("api-cors-origin", .value, repeatable: true, .apiCORSOrigin),
        .turnGate("ice-test-page", .flag, .iceTestPage),
        .turnGate("no-signaling", .flag, .noSignaling),
        .turnGate("signal-open-rooms", .flag, .signalOpenRooms),
        .turnGate("signal-room-max-peers", .value, .signalRoomMaxPeers),
        .turnGate("signal-max-message-size", .value, .signalMaxMessageSize),
        .turnGate("signal-message-rate", .value, .signalMessageRate),
        .turnGate("signal-user-connections", .value, .signalUserConnections),
        .turnGate("signal-auth-timeout", .value, .signalAuthTimeout),
        .turnGate("signal-ping-interval", .value, .signalPingInterval),
        .turnGate("security-log-file", .value, .securityLogFile),
        .turnGate("admin-token-file", .value, .adminTokenFile),
        .turnGate("admin-listening-port", .value, .adminListeningPort),
        .turnGate("bandwidth-class", .value, repeatable: true, .bandwidthClass),
        .turnGate("credential-expiry-policy", .value, .credentialExpiryPolicy),
    ]

    /// Looks an option up by its canonical name or an alias; names are case-sensitive, as in
    /// coturn.
    ///
    /// - Parameter name: The name as written, without leading dashes.
    /// - Returns: The option, or `nil` when TurnGate does not recognise the name.
    static func named(_ name: String) -> ConfigKey? {
        Self.byName[name]
    }

    /// Looks an option up by coturn's one-letter command-line form.
    ///
    /// - Parameter letter: The letter after `-`.
    /// - Returns: The option, or `nil` when no option has that letter.
    static func withShortOption(_ letter: Character) -> ConfigKey? {
        Self.byShortOption[letter]
    }

    /// The option name that `name` starts with when text follows it after a character that no
    /// option name holds: `static-auth-secret:s3cret`, with `:` written for `=`. That text may be
    /// a value, even a secret, so a message about such a name shows only this prefix.
    ///
    /// - Parameter name: The unknown name, as written.
    /// - Returns: The recognised prefix as written (an alias stays an alias), or `nil`.
    static func recognisedPrefix(of name: String) -> String? {
        guard let end = name.firstIndex(where: { !Self.isNameCharacter($0) }) else { return nil }
        let prefix = String(name[..<end])
        guard !name[name.index(after: end)...].isEmpty, Self.named(prefix) != nil else { return nil }
        return prefix
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_")
    }

    /// A recognised name that differs from `name` only in case or in trailing punctuation, to
    /// suggest for an unknown option.
    ///
    /// - Parameter name: The unknown name.
    /// - Returns: The canonical name of the closest option, or `nil`.
    static func suggestion(for name: String) -> String? {
        let wanted = Self.comparable(name)
        return Self.catalogue.first { key in
            ([key.name] + key.aliases).contains { Self.comparable($0) == wanted }
        }?.name
    }

    private static func comparable(_ name: String) -> String {
        var trimmed = Substring(name)
        while let last = trimmed.last, last == ":" || last == ";" || last == "," {
            trimmed = trimmed.dropLast()
        }
        return trimmed.lowercased().replacingUnderscores()
    }

    private static let byName: [String: ConfigKey] = Dictionary(
        Self.catalogue.flatMap { key in ([key.name] + key.aliases).map { ($0, key) } },
        uniquingKeysWith: { first, _ in first }
    )

    private static let byShortOption: [Character: ConfigKey] = Dictionary(
        Self.catalogue.compactMap { key in key.shortOption.map { ($0, key) } },
        uniquingKeysWith: { first, _ in first }
    )

    private static func coturn(
        _ name: String,
        _ arity: Arity,
        repeatable: Bool = false,
        short: Character? = nil,
        aliases: [String] = [],
        _ support: Support = .recognisedNotSupported
    ) -> ConfigKey {
        ConfigKey(
            name: name, arity: arity, isRepeatable: repeatable, support: support, origin: .coturn, aliases: aliases, shortOption: short)
    }

    private static func turnGate(_ name: String, _ arity: Arity, repeatable: Bool = false, _ setting: ConfigSetting) -> ConfigKey {
        ConfigKey(
            name: name, arity: arity, isRepeatable: repeatable, support: .supported(setting), origin: .turnGate, aliases: [],
            shortOption: nil)
    }
}

extension String {
    /// `_` read as `-`, so that `no_tcp` suggests `no-tcp`.
    fileprivate func replacingUnderscores() -> String {
        String(self.map { $0 == "_" ? "-" : $0 })
    }
}
