import Testing

@testable import TURNConfig

struct ConfigKeyTests {
    /// Every long option of coturn's `turnserver` (`long_options` in `src/apps/relay/mainrelay.c`)
    /// but `--version`, which the executable answers.
    static let coturnLongOptions = [
        "listening-device", "listening-port", "tls-listening-port", "alt-listening-port", "alt-tls-listening-port",
        "tcp-proxy-port", "listening-ip", "relay-device", "relay-ip", "external-ip", "relay-threads", "min-port",
        "max-port", "lt-cred-mech", "no-auth", "user", "userdb", "db", "psql-userdb", "sql-userdb", "mysql-userdb",
        "mongo-userdb", "redis-userdb", "redis-statsdb", "prometheus", "prometheus-port", "prometheus-address",
        "prometheus-username-labels", "use-auth-secret", "static-auth-secret", "no-auth-pings", "no-dynamic-ip-list",
        "no-dynamic-realms", "realm", "server-name", "oauth", "user-quota", "total-quota", "max-bps", "bps-capacity",
        "verbose", "Verbose", "daemon", "no-software-attribute", "software-attribute", "fingerprint",
        "check-origin-consistency", "no-udp", "no-tcp", "no-tls", "no-dtls", "no-udp-relay", "no-tcp-relay",
        "stale-nonce", "max-allocate-lifetime", "channel-lifetime", "permission-lifetime", "stun-only", "no-stun",
        "cert", "raw-public-keys", "pkey", "pkey-pwd", "log-file", "no-stdout-log", "syslog", "simple-log",
        "new-log-timestamp", "new-log-timestamp-format", "aux-server", "udp-self-balance", "alternate-server",
        "tls-alternate-server", "rest-api-separator", "max-allocate-timeout", "no-multicast-peers",
        "allow-loopback-peers", "allowed-peer-ip", "denied-peer-ip", "cipher-list", "pidfile", "secure-stun",
        "CA-file", "dh-file", "proc-user", "proc-group", "mobility", "no-cli", "cli-ip", "cli-port", "cli-password",
        "web-admin", "web-admin-ip", "web-admin-port", "web-admin-listen-on-workers", "server-relay",
        "cli-max-output-sessions", "ec-curve-name", "dh566", "dh1066", "ne", "no-tlsv1", "no-tlsv1_1", "no-tlsv1_2",
        "secret-key-file", "keep-address-family", "allocation-default-address-family", "acme-redirect", "log-binding",
        "no-rfc5780", "no-stun-backward-compatibility", "response-origin-only-with-rfc5780", "respond-http-unsupported",
        "syslog-facility",
        // coturn 4.7 to 4.17.1.
        "prometheus-path", "prometheus-tls", "prometheus-cert", "prometheus-key", "dtls", "log-min-level",
        "tcp-alternate-server", "udp-alternate-server", "cli", "tlsv1", "tlsv1_1", "rfc5780", "stun-backward-compatibility",
        "rfc5766-channel-numbers", "rfc3489-compatibility", "drop-invalid-packets", "drop-invalid-packets-log", "udp-recvmmsg",
        "udp-recvmmsg-log", "udp-sendmmsg-log", "udp-gso", "include-reason-string", "multiplex-peer", "multiplex-peer-port",
        "multiplex-peer-max-peers", "cpus", "unauthorized-ratelimit", "unauthorized-ratelimit-rps", "stateless-nonce",
        "stateless-nonce-secret",
    ]

    @Test(arguments: Self.coturnLongOptions)
    func recognisesCoturnsLongOption(name: String) throws {
        let key = try #require(ConfigKey.named(name))
        #expect(key.origin == .coturn)
    }

    /// The gateway's options, all supported, are listed in `GatewayConfigurationTests`.
    @Test
    func supportsExactlyTheOptionsTheServerApplies() {
        let supported = Set(ConfigKey.catalogue.filter(\.isSupported).map(\.name)).subtracting(GatewayConfigurationTests.gatewayKeys)
        #expect(
            supported == Set([
                "listening-ip", "listening-port", "no-udp", "no-tcp", "no-tcp-relay", "fingerprint", "no-software-attribute",
                "software-attribute", "verbose", "Verbose", "log-file", "no-stdout-log", "pidfile",
                "software-name", "log-level", "log-format", "strict-config", "realm", "lt-cred-mech", "no-auth",
                "use-auth-secret", "static-auth-secret", "rest-api-separator", "user", "userdb", "stale-nonce",
                "min-port", "max-port", "relay-ip", "external-ip", "max-allocate-lifetime", "channel-lifetime",
                "permission-lifetime", "user-quota", "total-quota", "max-bps", "bps-capacity", "allowed-peer-ip",
                "denied-peer-ip", "allow-loopback-peers", "no-multicast-peers", "channel-numbers", "prometheus",
                "prometheus-port", "prometheus-address", "tls-listening-port", "no-tls", "cert", "pkey", "cipher-list",
                "no-tlsv1", "no-tlsv1_1", "no-tlsv1_2", "syslog", "alternate-server", "redis-userdb", "redis-statsdb",
                "redis-optional", "redis-lease", "redis-quota-policy", "node-id", "room-quota", "challenge-rate",
                "tcp-connection-limit", "tcp-connections-per-ip", "tcp-first-frame-timeout", "tls-handshake-timeout",
                "tcp-idle-timeout", "prometheus-connection-limit", "prometheus-idle-timeout",
                "relay-threads", "relay-engine", "relay-batch-wait", "sock-buf-size", "no-stun", "stun-only", "prometheus-path", "unauthorized-ratelimit", "unauthorized-ratelimit-rps", "secure-stun",
                "stateless-nonce-secret", "prometheus-tls", "prometheus-cert", "prometheus-key", "rfc5780",
            ] + Self.fleetKeys))
    }

    @Test
    func feedsEverySettingFromExactlyOneOption() {
        for setting in ConfigSetting.allCases {
            let keys = ConfigKey.catalogue.filter { $0.support == .supported(setting) }
            #expect(keys.count == 1, "\(setting) is fed by \(keys.map(\.name))")
        }
    }

    @Test
    func hasNoNameTwice() {
        let names = ConfigKey.catalogue.flatMap { [$0.name] + $0.aliases }
        #expect(names.count == Set(names).count)
        let letters = ConfigKey.catalogue.compactMap(\.shortOption)
        #expect(letters.count == Set(letters).count)
        #expect(!letters.contains("c") && !letters.contains("h") && !letters.contains("n"))
    }

    /// The options for running a fleet of nodes, in catalogue order.
    static let fleetKeys = ["nonce-secret-file", "drain-min-allocations", "drain-timeout", "drain-on-sigterm", "cert-reload-interval"]

    /// The limits on TCP/TLS and metrics endpoint connections, in catalogue order.
    static let connectionLimitKeys = [
        "tcp-connection-limit", "tcp-connections-per-ip", "tcp-first-frame-timeout", "tls-handshake-timeout", "tcp-idle-timeout",
        "prometheus-connection-limit", "prometheus-idle-timeout",
    ]

    @Test
    func keepsTurnGatesOwnOptionsApart() {
        let own = ConfigKey.catalogue.filter { $0.origin == .turnGate }.map(\.name)
        let gateway = GatewayConfigurationTests.gatewayKeys
        #expect(own == ["software-name", "log-level", "log-format", "strict-config", "channel-numbers", "room-quota", "challenge-rate", "relay-engine", "relay-batch-wait", "redis-optional", "redis-lease", "redis-quota-policy", "node-id"] + Self.fleetKeys + Self.connectionLimitKeys + gateway)
    }

    @Test
    func namesAreCaseSensitiveAsInCoturn() throws {
        let quiet = try #require(ConfigKey.named("verbose"))
        let loud = try #require(ConfigKey.named("Verbose"))
        #expect(quiet != loud)
        #expect(ConfigKey.named("FINGERPRINT") == nil)
        #expect(ConfigKey.named("ca-file") == nil)
        #expect(ConfigKey.named("CA-file") != nil)
    }

    @Test(arguments: [("db", "userdb"), ("sql-userdb", "psql-userdb")])
    func resolvesCoturnsAliases(alias: String, name: String) throws {
        let key = try #require(ConfigKey.named(alias))
        #expect(key.name == name)
    }

    @Test(
        arguments: [
            ("p", "listening-port"), ("L", "listening-ip"), ("v", "verbose"), ("V", "Verbose"), ("f", "fingerprint"),
            ("l", "log-file"), ("r", "realm"), ("u", "user"), ("X", "external-ip"), ("E", "relay-ip"), ("S", "stun-only"),
        ] as [(Character, String)])
    func mapsCoturnsShortOptions(letter: Character, name: String) throws {
        let key = try #require(ConfigKey.withShortOption(letter))
        #expect(key.name == name)
    }

    @Test
    func marksRepeatableOptions() {
        let repeatable = Set(ConfigKey.catalogue.filter(\.isRepeatable).map(\.name))
        #expect(
            repeatable.isSuperset(of: [
                "listening-ip", "relay-ip", "external-ip", "user", "static-auth-secret", "denied-peer-ip", "allowed-peer-ip",
            ]))
        #expect(!repeatable.contains("listening-port"))
    }
}
