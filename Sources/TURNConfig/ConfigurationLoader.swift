import IPAddressing

/// Applies directives, in order, to a ``TURNServerConfiguration``, collecting diagnostics.
///
/// For a single-valued option the last occurrence wins, as in coturn; a repeatable option
/// accumulates. What depends on several options (the credential mechanisms, the relay port
/// range, conflicts) is settled once every directive is in (``finish(earlier:strict:)``).
struct ConfigurationLoader {
    var configuration = TURNServerConfiguration()
    var diagnostics: [ConfigDiagnostic] = []
    /// Where each single-valued supported option was last given, by canonical name.
    private var lastSeen: [String: Place] = [:]
    /// Where each setting was last given, for conflict messages.
    var settingPlaces: [ConfigSetting: Place] = [:]
    /// Where each setting was first given, for messages about a group of options.
    var firstSettingPlaces: [ConfigSetting: Place] = [:]
    /// The `listening-ip` addresses so far, to spot repeats.
    var listeningAddresses: Set<IPAddress> = []
    /// The `relay-ip` addresses so far, to spot repeats.
    var relayAddresses: Set<IPAddress> = []
    /// Where each `external-ip` was given: the plain form once per family, each private address once.
    var externalIPPlaces: [ExternalIPSlot: Place] = [:]
    /// Where each static user name was last given.
    var userPlaces: [String: Place] = [:]
    /// The `api-listening-ip` addresses so far, to spot repeats.
    var apiListeningAddresses: Set<IPAddress> = []
    /// Where each `jwt-secret` was first given, to spot repeats without naming the secret.
    var jwtSecretPlaces: [String: Place] = [:]
    /// Where each `bandwidth-class` name was last given; empty while the defaults stand.
    var bandwidthClassPlaces: [String: Place] = [:]
    /// Where each `api-cors-origin` was given, to spot `*` beside other origins.
    var corsOriginPlaces: [(origin: String, place: Place)] = []
    /// `lt-cred-mech` as written; `nil` when not given.
    var ltCredMech: Bool?
    /// `use-auth-secret` as written; `nil` when not given.
    var useAuthSecret: Bool?
    private var verbosity = Verbosity.none
    var explicitLogLevel: TURNServerConfiguration.LogLevel?
    var sendsSoftware = true
    private var softwareName = TURNServerConfiguration.defaultSoftwareName
    var noStdoutLog = false
    var logFileIsStandardOutput = false
    private var strictConfig = false
    /// coturn's `unauthorized-ratelimit`, on.
    var coturnRatelimit = false
    /// The lines whose number was read before a `#` remark, as coturn reads it.
    var remarkLinesRead: Set<Int> = []

    /// coturn's three verbosity states (`TURN_VERBOSE_NONE`, `_NORMAL`, `_EXTRA`).
    private enum Verbosity {
        case none, normal, extra

        var logLevel: TURNServerConfiguration.LogLevel {
            switch self {
            case .none: .info
            case .normal: .debug
            case .extra: .trace
            }
        }
    }

    /// A line of the file, or the command line, with the option name as written there.
    struct Place: Hashable {
        let line: Int?
        let key: String

        var phrase: String {
            self.line.map { "line \($0)" } ?? "the command line"
        }
    }

    /// Applies one directive: unknown and unsupported options give warnings, bad values errors.
    ///
    /// - Parameter directive: The directive, from the file or the command line.
    mutating func apply(_ directive: ConfDirective) {
        let place = Place(line: directive.line, key: directive.key)
        guard let key = ConfigKey.named(directive.key) else {
            if let prefix = ConfigKey.recognisedPrefix(of: directive.key) {
                self.diagnostics.append(
                    .warning(
                        "unknown option '\(prefix)…': text follows '\(prefix)' without '=' or a space (did you mean '\(prefix)=…'?); "
                            + "the text is not repeated here, as it may be a secret",
                        line: directive.line, key: prefix
                    ))
                return
            }
            var message = "unknown option '\(directive.key)'"
            if let suggestion = ConfigKey.suggestion(for: directive.key) {
                message += " (did you mean '\(suggestion)'?)"
            }
            self.diagnostics.append(.warning(message, line: directive.line, key: directive.key))
            return
        }
        guard case .supported(let setting) = key.support else {
            self.diagnostics.append(
                .warning(
                    "option '\(directive.key)' is recognised, not supported by TurnGate yet: ignored",
                    line: directive.line, key: directive.key
                ))
            return
        }
        if !key.isRepeatable {
            if let previous = self.lastSeen[key.name] {
                self.diagnostics.append(
                    .warning(
                        "option '\(directive.key)' is also given on \(previous.phrase): only the last one applies",
                        line: directive.line, key: directive.key
                    ))
            }
            self.lastSeen[key.name] = place
        }
        self.settingPlaces[setting] = place
        self.configuration.optionLines[key.name] = directive.line
        if self.firstSettingPlaces[setting] == nil {
            self.firstSettingPlaces[setting] = place
        }
        self.apply(setting, directive)
    }

    /// Settles what depends on several options, checks conflicts, and returns the
    /// configuration with every diagnostic, sorted by line (command-line diagnostics, then
    /// those about the whole configuration, last).
    ///
    /// - Parameters:
    ///   - earlier: Diagnostics from before loading (lexer, command line), to sort in and, under
    ///     strict mode, escalate with the rest.
    ///   - strict: Whether warnings become errors even without `strict-config`.
    /// - Returns: The configuration and the diagnostics.
    mutating func finish(earlier: [ConfigDiagnostic], strict: Bool) -> (TURNServerConfiguration, [ConfigDiagnostic]) {
        self.settleAuthentication()
        self.checkListeners()
        self.settleChallengeRate()
        self.checkLogging()
        self.checkRelay()
        self.checkTLS()
        self.checkPrometheusTLS()
        self.checkGateway()
        self.checkNonceKey()
        var configuration = self.configuration
        configuration.logLevel = self.explicitLogLevel ?? self.verbosity.logLevel
        configuration.softwareName = self.sendsSoftware ? self.softwareName : nil
        configuration.stdoutLog = !self.noStdoutLog || self.logFileIsStandardOutput
        configuration.strict = strict || self.strictConfig

        let lexerNotes = earlier.filter { diagnostic in
            guard let line = diagnostic.line, self.remarkLinesRead.contains(line) else { return true }
            return diagnostic != ConfigFileLexer.remarkWarning(key: diagnostic.key ?? "", line: line)
        }
        var all = Array((lexerNotes + self.diagnostics).enumerated())
        all.sort { left, right in
            let leftLine = left.element.line ?? Int.max
            let rightLine = right.element.line ?? Int.max
            return leftLine != rightLine ? leftLine < rightLine : left.offset < right.offset
        }
        let sorted = all.map { configuration.strict ? $0.element.escalated : $0.element }
        return (configuration, sorted)
    }

    private mutating func apply(_ setting: ConfigSetting, _ directive: ConfDirective) {
        switch setting {
        case .listeningIP: self.addAddress(directive, seen: \.listeningAddresses, to: \.listeningIPs)
        case .listeningPort: self.setValue(directive, \.listeningPort, ConfigValueParsers.port)
        case .noUDP: self.setFlag(directive, \.udpEnabled, inverted: true)
        case .noTCP: self.setFlag(directive, \.tcpEnabled, inverted: true)
        case .noTCPRelay: self.setFlag(directive, \.tcpRelayEnabled, inverted: true)
        case .tlsListeningPort: self.setValue(directive, \.tlsListeningPort, ConfigValueParsers.port)
        case .noTLS: self.setFlag(directive, \.tlsEnabled, inverted: true)
        case .certificate: self.setValue(directive, \.certificateFile) { .success($0) }
        case .privateKey: self.setValue(directive, \.privateKeyFile) { .success($0) }
        case .cipherList: self.setValue(directive, \.cipherList) { .success($0) }
        case .noTLSv1: self.setFlag(directive, \.noTLSv1)
        case .noTLSv1_1: self.setFlag(directive, \.noTLSv1_1)
        case .noTLSv1_2: self.setFlag(directive, \.noTLSv1_2)
        case .fingerprint: self.setFlag(directive, \.fingerprint)
        case .noSoftwareAttribute:
            guard let on = self.flag(directive) else { return }
            self.sendsSoftware = !on
        case .softwareAttribute:
            guard let on = self.flag(directive) else { return }
            self.sendsSoftware = on
        case .verbose:
            guard let on = self.flag(directive) else { return }
            if self.verbosity != .extra {
                self.verbosity = on ? .normal : .none
            }
        case .extraVerbose:
            guard let on = self.flag(directive) else { return }
            if on {
                self.verbosity = .extra
            }
        case .logFile:
            guard let text = self.requiredValue(directive) else { return }
            self.applyLogFile(text, directive)
        case .noStdoutLog:
            guard let on = self.flag(directive) else { return }
            self.noStdoutLog = on
        case .syslog: self.setFlag(directive, \.syslog)
        case .redisUserDB: self.setValue(directive, \.redisUserDB) { .success($0) }
        case .redisStatsDB: self.setValue(directive, \.redisStatsDB) { .success($0) }
        case .roomQuota: self.setValue(directive, \.roomQuota, ConfigValueParsers.allocations)
        case .challengeRate:
            self.setValue(directive, \.challengeRate) { ConfigValueParsers.wholeNumber($0, atLeast: 0, counting: "a number of challenges per second") }
        case .relayThreads:
            self.setValue(directive, \.relayThreads) { ConfigValueParsers.wholeNumber($0, in: 0...1024, counting: "a number of threads") }
        case .sockBufSize:
            self.setValue(directive, \.sockBufSize) { ConfigValueParsers.wholeNumber($0, in: 0...(1 << 28), counting: "bytes") }
        case .relayEngine:
            self.setValue(directive, \.relayEngine) {
                ConfigValueParsers.choice($0, of: TURNServerConfiguration.RelayEngine.self, naming: "relay engine")
            }
        case .relayBatchWait:
            self.setValue(directive, \.relayBatchWait) { ConfigValueParsers.wholeNumber($0, in: 0...10_000, counting: "microseconds") }
        case .redisOptional: self.setFlag(directive, \.redisOptional)
        case .redisLease: self.setValue(directive, \.redisLease) { ConfigValueParsers.seconds($0) }
        case .redisQuotaPolicy:
            self.setValue(directive, \.redisQuotaPolicy) {
                ConfigValueParsers.choice($0, of: TURNServerConfiguration.RedisQuotaPolicy.self, naming: "Redis quota policy")
            }
        case .nodeID: self.setValue(directive, \.nodeID) { .success(Optional($0)) }
        case .nonceSecretFile: self.setValue(directive, \.nonceSecretFile) { .success(Optional($0)) }
        case .statelessNonceSecret: self.setValue(directive, \.statelessNonceSecret, ConfigValueParsers.nonceSecret)
        case .drainMinAllocations: self.setValue(directive, \.drainMinAllocations, ConfigValueParsers.allocations)
        case .drainTimeout: self.setValue(directive, \.drainTimeout, ConfigValueParsers.seconds)
        case .drainOnSigterm: self.setFlag(directive, \.drainOnSigterm)
        case .noStun: self.setFlag(directive, \.noStun)
        case .stunOnly: self.setFlag(directive, \.stunOnly)
        case .secureStun: self.setFlag(directive, \.secureStun)
        case .prometheusPath: self.setValue(directive, \.prometheusPath, ConfigValueParsers.urlPath)
        case .prometheusTLS: self.setFlag(directive, \.prometheusTLS)
        case .prometheusCertificate: self.setValue(directive, \.prometheusCertificateFile) { .success($0) }
        case .prometheusKey: self.setValue(directive, \.prometheusPrivateKeyFile) { .success($0) }
        case .rfc5780: self.setFlag(directive, \.rfc5780)
        case .unauthorizedRatelimit:
            guard let on = self.flag(directive) else { return }
            self.coturnRatelimit = on
            if !on {
                self.diagnostics.append(
                    .warning(
                        "unauthorized-ratelimit=off has no effect: TurnGate always limits 401/438 challenges per source "
                            + "(challenge-rate; 0 turns that off)", line: directive.line, key: directive.key))
            }
        case .unauthorizedRatelimitRPS:
            self.setOptionalValue(directive, \.challengeRate, else: TURNServerConfiguration.coturnUnauthorizedRatelimitRPS) {
                ConfigValueParsers.wholeNumber($0, atLeast: 1, counting: "a number of 401 responses per second")
            }
        case .certReloadInterval:
            self.setValue(directive, \.certReloadInterval) {
                ConfigValueParsers.wholeNumber($0, in: 0...86_400, counting: "a number of seconds (0 turns the check off)")
            }
        case .alternateServer: self.appendValue(directive, \.alternateServers, ConfigValueParsers.serverAddress)
        case .pidFile: self.setValue(directive, \.pidFile) { .success($0) }
        case .softwareName:
            guard let text = self.requiredValue(directive),
                let name = self.parsed(ConfigValueParsers.attributeText(text, attribute: "SOFTWARE", section: "14.14"), directive)
            else { return }
            self.softwareName = name
        case .logLevel:
            guard let text = self.requiredValue(directive),
                let level = self.parsed(
                    ConfigValueParsers.choice(text, of: TURNServerConfiguration.LogLevel.self, naming: "log level"), directive)
            else { return }
            self.explicitLogLevel = level
        case .logFormat:
            self.setValue(directive, \.logFormat) {
                ConfigValueParsers.choice($0, of: TURNServerConfiguration.LogFormat.self, naming: "log format")
            }
        case .strictConfig:
            guard let on = self.flag(directive) else { return }
            self.strictConfig = on
        case .realm:
            self.setValue(directive, \.realm) {
                ConfigValueParsers.attributeText($0, attribute: "REALM", section: "14.9").map(Optional.some)
            }
        case .ltCredMech:
            guard let on = self.flag(directive) else { return }
            self.ltCredMech = on
        case .noAuth: self.setFlag(directive, \.authenticationRequired, inverted: true)
        case .useAuthSecret:
            guard let on = self.flag(directive) else { return }
            self.useAuthSecret = on
        case .staticAuthSecret: self.appendValue(directive, \.staticAuthSecrets) { .success($0) }
        case .restAPISeparator: self.setValue(directive, \.restAPISeparator, ConfigValueParsers.restAPISeparator)
        case .user: self.addUser(directive)
        case .userDB: self.setValue(directive, \.userDB) { .success($0) }
        case .staleNonce:
            self.setOptionalValue(
                directive, \.staleNonce, else: TURNServerConfiguration.defaultStaleNonce, ConfigValueParsers.secondsOrNoLimit)
        case .minPort: self.setValue(directive, \.minPort, ConfigValueParsers.port)
        case .maxPort: self.setValue(directive, \.maxPort, ConfigValueParsers.port)
        case .relayIP: self.addAddress(directive, seen: \.relayAddresses, to: \.relayIPs)
        case .externalIP: self.addExternalIP(directive)
        case .maxAllocateLifetime:
            self.setOptionalValue(
                directive, \.maxAllocateLifetime, else: TURNServerConfiguration.defaultMaxAllocateLifetime, ConfigValueParsers.seconds)
        case .channelLifetime:
            self.setOptionalValue(
                directive, \.channelLifetime, else: TURNServerConfiguration.defaultChannelLifetime, ConfigValueParsers.seconds)
        case .permissionLifetime:
            self.setOptionalValue(
                directive, \.permissionLifetime, else: TURNServerConfiguration.defaultPermissionLifetime, ConfigValueParsers.seconds)
        case .prometheus: self.setFlag(directive, \.prometheusEnabled)
        case .prometheusPort: self.setValue(directive, \.prometheusPort, ConfigValueParsers.port)
        case .prometheusAddress:
            self.setValue(directive, \.prometheusAddress) { text in ConfigValueParsers.ipAddress(text).map { _ in Optional(text) } }
        case .prometheusConnectionLimit:
            self.setValue(directive, \.connectionLimits.prometheusTotal, ConfigValueParsers.positiveConnectionLimit)
        case .prometheusIdleTimeout: self.setValue(directive, \.connectionLimits.prometheusIdleTimeout, ConfigValueParsers.connectionTimeout)
        case .tcpConnectionLimit: self.setValue(directive, \.connectionLimits.total, ConfigValueParsers.connectionLimit)
        case .tcpConnectionsPerIP: self.setValue(directive, \.connectionLimits.perSource, ConfigValueParsers.connectionLimit)
        case .tcpFirstFrameTimeout: self.setValue(directive, \.connectionLimits.firstFrameTimeout, ConfigValueParsers.connectionTimeout)
        case .tlsHandshakeTimeout: self.setValue(directive, \.connectionLimits.tlsHandshakeTimeout, ConfigValueParsers.connectionTimeout)
        case .tcpIdleTimeout: self.setValue(directive, \.connectionLimits.idleTimeout, ConfigValueParsers.connectionTimeout)
        case .channelNumbers:
            self.setValue(directive, \.channelNumbers) {
                ConfigValueParsers.choice($0, of: TURNServerConfiguration.ChannelNumbers.self, naming: "channel number range")
            }
        case .userQuota: self.setValue(directive, \.userQuota, ConfigValueParsers.allocations)
        case .totalQuota: self.setValue(directive, \.totalQuota) { ConfigValueParsers.allocations($0).map(Optional.some) }
        case .maxBPS: self.setValue(directive, \.maxBytesPerSecond, ConfigValueParsers.bytesPerSecond)
        case .bpsCapacity: self.setValue(directive, \.bytesPerSecondCapacity, ConfigValueParsers.bytesPerSecond)
        case .allowedPeerIP: self.appendValue(directive, \.allowedPeerIPs, ConfigValueParsers.addressRange)
        case .deniedPeerIP: self.appendValue(directive, \.deniedPeerIPs, ConfigValueParsers.addressRange)
        case .allowLoopbackPeers: self.setFlag(directive, \.allowLoopbackPeers)
        case .noMulticastPeers: self.setFlag(directive, \.noMulticastPeers)
        case .apiListeningIP: self.addAddress(directive, seen: \.apiListeningAddresses, to: \.apiListeningIPs)
        case .apiListeningPort: self.setValue(directive, \.apiListeningPort) { ConfigValueParsers.port($0).map(Optional.some) }
        case .apiCert: self.setValue(directive, \.apiCertificateFile) { .success($0) }
        case .apiPKey: self.setValue(directive, \.apiPrivateKeyFile) { .success($0) }
        case .jwtSecret: self.addJWTSecret(directive)
        case .jwtPublicKeyFile: self.appendValue(directive, \.jwtPublicKeyFiles) { .success($0) }
        case .jwtJWKSFile: self.setValue(directive, \.jwtJWKSFile) { .success($0) }
        case .jwtJWKSURL: self.setJWKSURL(directive)
        case .jwtIssuer: self.appendValue(directive, \.jwtIssuers) { .success($0) }
        case .jwtAudience: self.appendValue(directive, \.jwtAudiences) { .success($0) }
        case .jwtLeeway:
            self.setValue(directive, \.jwtLeeway) {
                ConfigValueParsers.wholeNumber($0, in: TURNServerConfiguration.jwtLeewayRange, counting: "a number of seconds")
            }
        case .jwtMaxLifetime: self.setValue(directive, \.jwtMaxLifetime, ConfigValueParsers.seconds)
        case .jwtRequiredClaim: self.appendValue(directive, \.jwtRequiredClaims, ConfigValueParsers.requiredClaim)
        case .jwtUserClaim: self.setValue(directive, \.jwtUserClaim) { .success($0) }
        case .credentialTTL:
            self.setValue(directive, \.credentialTTL) {
                ConfigValueParsers.wholeNumber($0, in: TURNServerConfiguration.credentialTTLRange, counting: "a number of seconds")
            }
        case .turnURIs: self.addTURNURIs(directive)
        case .apiRateLimit: self.setValue(directive, \.apiRateLimit, ConfigValueParsers.rateLimit)
        case .apiConnectionLimit: self.setValue(directive, \.apiConnectionLimit, ConfigValueParsers.positiveConnectionLimit)
        case .apiAllowedIP: self.appendValue(directive, \.apiAllowedIPs, ConfigValueParsers.addressRange)
        case .apiDeniedIP: self.appendValue(directive, \.apiDeniedIPs, ConfigValueParsers.addressRange)
        case .apiCORSOrigin: self.addCORSOrigin(directive)
        case .iceTestPage: self.setFlag(directive, \.iceTestPage)
        case .noSignaling, .signalOpenRooms, .signalRoomMaxPeers, .signalMaxMessageSize, .signalMessageRate,
            .signalUserConnections, .signalAuthTimeout, .signalPingInterval:
            self.setSignaling(setting, directive)
        case .securityLogFile: self.setValue(directive, \.securityLogFile) { .success($0) }
        case .adminTokenFile: self.setValue(directive, \.adminTokenFile) { .success($0) }
        case .adminListeningPort: self.setValue(directive, \.adminListeningPort) { ConfigValueParsers.port($0).map(Optional.some) }
        case .bandwidthClass: self.addBandwidthClass(directive)
        case .credentialExpiryPolicy:
            self.setValue(directive, \.credentialExpiryPolicy) {
                ConfigValueParsers.choice($0, of: TURNServerConfiguration.CredentialExpiryPolicy.self, naming: "credential expiry policy")
            }
        }
    }

    /// As coturn: `no-udp` and `no-tcp` turn off the plain listeners only, so a node with TLS
    /// alone (Jitsi's and NixOS's layout) is valid; a node with no listener at all is not, nor
    /// one that answers neither STUN nor TURN.
    private mutating func checkListeners() {
        let configuration = self.configuration
        let servesTLS = configuration.tlsEnabled && configuration.certificateFile != nil && configuration.privateKeyFile != nil
        if configuration.noStun, configuration.stunOnly {
            self.diagnostics.append(
                .error("no-stun and stun-only together answer nothing", line: self.latestPlace(of: [.noStun, .stunOnly])?.line, key: nil))
        }
        self.checkRFC5780()
        if !configuration.udpEnabled, !configuration.tcpEnabled, !servesTLS {
            self.diagnostics.append(
                .error(
                    "no-udp and no-tcp together leave no listener (a TLS-only node needs cert and pkey)",
                    line: self.latestPlace(of: [.noUDP, .noTCP])?.line, key: nil
                ))
        }
    }

    /// `rfc5780` needs UDP, two specific listening addresses of one family, and a port after
    /// `listening-port` for the alternate listeners.
    private mutating func checkRFC5780() {
        let configuration = self.configuration
        guard configuration.rfc5780 else { return }
        if !configuration.udpEnabled {
            self.report(.warning, "has no effect with no-udp: NAT behaviour discovery is UDP's", at: .rfc5780)
        }
        let addresses = configuration.listeningIPs.compactMap { try? IPAddress(parsing: $0) }
        if addresses.filter(\.isIPv4).count < 2, addresses.filter({ !$0.isIPv4 }).count < 2 {
            self.report(.warning, "needs two listening-ip of one family: NAT behaviour discovery stays off", at: .rfc5780)
        }
        if configuration.listeningPort >= 65535 {
            self.report(.error, "needs listening-port + 1 for the alternate port: listening-port is 65535", at: .rfc5780)
        }
    }

    /// coturn's `unauthorized-ratelimit` alone limits to its default rate, 10 per second.
    private mutating func settleChallengeRate() {
        guard self.coturnRatelimit, self.settingPlaces[.unauthorizedRatelimitRPS] == nil,
            self.settingPlaces[.challengeRate] == nil
        else { return }
        self.configuration.challengeRate = TURNServerConfiguration.coturnUnauthorizedRatelimitRPS
    }

    /// Where the last of `settings` was given; the command line counts as later than any line.
    func latestPlace(of settings: [ConfigSetting]) -> Place? {
        settings.compactMap { self.settingPlaces[$0] }.max { ($0.line ?? Int.max) < ($1.line ?? Int.max) }
    }

    /// Adds a diagnostic on the line where `setting` was last given.
    mutating func report(_ severity: ConfigDiagnostic.Severity, _ message: String, at setting: ConfigSetting) {
        let place = self.settingPlaces[setting]
        self.diagnostics.append(ConfigDiagnostic(severity: severity, line: place?.line, key: place?.key, message: message))
    }
}
