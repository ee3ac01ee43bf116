extension ConfigurationLoader {
    /// The shortest `jwt-secret`, in bytes, that gives no warning: RFC 7518 Section 3.2 wants an
    /// HMAC key at least as long as the hash, 256 bits for HS256.
    static let minimumJWTSecretBytes = 32

    /// The options that only the credential gateway reads, in catalogue order: without
    /// `api-listening-port` they have no effect. (`credential-expiry-policy` is the relay's;
    /// `admin-token-file` and `credential-ttl` also serve an admin API on its own port, and
    /// ``checkGateway()`` leaves them out then.)
    private static let gatewayOnlySettings: [ConfigSetting] = [
        .apiListeningIP, .apiCert, .apiPKey, .jwtSecret, .jwtPublicKeyFile, .jwtJWKSFile, .jwtJWKSURL, .jwtIssuer, .jwtAudience,
        .jwtLeeway, .jwtMaxLifetime, .jwtRequiredClaim, .jwtUserClaim, .credentialTTL, .turnURIs, .apiRateLimit, .apiConnectionLimit,
        .apiAllowedIP, .apiDeniedIP, .apiCORSOrigin, .iceTestPage, .noSignaling, .signalOpenRooms, .signalRoomMaxPeers,
        .signalMaxMessageSize, .signalMessageRate, .signalUserConnections, .signalAuthTimeout, .signalPingInterval,
        .securityLogFile, .adminTokenFile, .bandwidthClass,
    ]

    /// The options that give the gateway a key to check tokens with.
    private static let jwtKeySettings: [ConfigSetting] = [.jwtSecret, .jwtPublicKeyFile, .jwtJWKSFile, .jwtJWKSURL]

    /// Adds a `jwt-secret`. No diagnostic repeats the secret: a repeat, or one shorter than
    /// ``minimumJWTSecretBytes``, gets a warning that names only lines.
    mutating func addJWTSecret(_ directive: ConfDirective) {
        guard let secret = self.requiredValue(directive) else { return }
        let place = Place(line: directive.line, key: directive.key)
        if let previous = self.jwtSecretPlaces[secret] {
            self.diagnostics.append(
                .warning("this jwt-secret is the same as the one on \(previous.phrase)", line: directive.line, key: directive.key))
            return
        }
        self.jwtSecretPlaces[secret] = place
        if secret.utf8.count < Self.minimumJWTSecretBytes {
            self.diagnostics.append(
                .warning(
                    "this jwt-secret is shorter than \(Self.minimumJWTSecretBytes) bytes: RFC 7518 Section 3.2 wants an HMAC key "
                        + "at least as long as the hash (256 bits for HS256), and a short one can be guessed",
                    line: directive.line, key: directive.key
                ))
        }
        self.configuration.jwtSecrets.append(secret)
    }

    /// Sets `jwt-jwks-url`, with a warning for plain `http://` to a host other than the local
    /// machine: whoever can alter the response can sign tokens.
    mutating func setJWKSURL(_ directive: ConfDirective) {
        guard let text = self.requiredValue(directive), let url = self.parsed(ConfigValueParsers.httpURL(text), directive) else {
            return
        }
        let lowered = url.lowercased()
        let local = ["http://localhost", "http://127.0.0.1", "http://[::1]"].contains { prefix in
            lowered == prefix || lowered.hasPrefix(prefix + "/") || lowered.hasPrefix(prefix + ":")
        }
        if lowered.hasPrefix("http://"), !local {
            self.diagnostics.append(
                .warning(
                    "jwt-jwks-url uses plain http://: whoever can alter the response can issue tokens the gateway accepts; use https://",
                    line: directive.line, key: directive.key
                ))
        }
        self.configuration.jwtJWKSURL = url
    }

    /// Adds the URIs of one `turn-uris` value (one URI or a comma-separated list); a URI given
    /// again gets a warning and is not added twice. Nothing is added after an error.
    mutating func addTURNURIs(_ directive: ConfDirective) {
        guard let text = self.requiredValue(directive), let uris = self.parsed(ConfigValueParsers.turnURIs(text), directive) else {
            return
        }
        for uri in uris {
            guard !self.configuration.turnURIs.contains(uri) else {
                self.diagnostics.append(.warning("turn-uris \(uri) is given more than once", line: directive.line, key: directive.key))
                continue
            }
            self.configuration.turnURIs.append(uri)
        }
    }

    /// Adds an `api-cors-origin`; an origin given again gets a warning and is not added twice.
    mutating func addCORSOrigin(_ directive: ConfDirective) {
        guard let text = self.requiredValue(directive), let origin = self.parsed(ConfigValueParsers.corsOrigin(text), directive) else {
            return
        }
        guard !self.configuration.apiCORSOrigins.contains(origin) else {
            self.diagnostics.append(.warning("api-cors-origin \(origin) is given more than once", line: directive.line, key: directive.key))
            return
        }
        self.corsOriginPlaces.append((origin, Place(line: directive.line, key: directive.key)))
        self.configuration.apiCORSOrigins.append(origin)
    }

    /// Adds a `bandwidth-class`: the first one replaces the default classes; a name given again
    /// gets a warning, and its last bandwidth counts, in the place of its first.
    mutating func addBandwidthClass(_ directive: ConfDirective) {
        guard let text = self.requiredValue(directive),
            let bandwidthClass = self.parsed(ConfigValueParsers.bandwidthClass(text), directive)
        else { return }
        if self.bandwidthClassPlaces.isEmpty {
            self.configuration.bandwidthClasses = []
        }
        let place = Place(line: directive.line, key: directive.key)
        if let previous = self.bandwidthClassPlaces[bandwidthClass.name],
            let index = self.configuration.bandwidthClasses.firstIndex(where: { $0.name == bandwidthClass.name })
        {
            self.diagnostics.append(
                .warning(
                    "bandwidth class '\(bandwidthClass.name)' is also given on \(previous.phrase): only the last one applies",
                    line: directive.line, key: directive.key
                ))
            self.configuration.bandwidthClasses[index] = bandwidthClass
        } else {
            self.configuration.bandwidthClasses.append(bandwidthClass)
        }
        self.bandwidthClassPlaces[bandwidthClass.name] = place
    }

    /// Checks what the credential gateway and the admin API need, once every option is in:
    /// `api-cert` and `api-pkey` together; with `api-listening-port`, a JWT key and a
    /// `static-auth-secret` (the gateway mints REST credentials with the first); without it, one
    /// warning naming the gateway options that have no effect; `admin-listening-port` with
    /// `admin-token-file`, on a port of its own. Also warns when a `jwt-secret` is a
    /// `static-auth-secret` too, and when `api-cors-origin=*` makes the other origins moot.
    mutating func checkGateway() {
        self.checkCertificatePair()
        let gatewayGiven = self.settingPlaces[.apiListeningPort] != nil
        if let port = self.configuration.apiListeningPort {
            if Self.jwtKeySettings.allSatisfy({ self.settingPlaces[$0] == nil }) {
                self.report(
                    .error,
                    "the gateway needs a JWT key: give jwt-secret, jwt-public-key-file, jwt-jwks-file or jwt-jwks-url, "
                        + "or leave api-listening-port out to turn the gateway off",
                    at: .apiListeningPort)
            }
            if self.settingPlaces[.staticAuthSecret] == nil {
                self.report(
                    .error,
                    "the gateway needs a static-auth-secret: it mints TURN REST API credentials with the first one",
                    at: .apiListeningPort)
            }
            if self.configuration.adminListeningPort == port {
                let place = self.latestPlace(of: [.apiListeningPort, .adminListeningPort])
                self.diagnostics.append(
                    .error(
                        "admin-listening-port and api-listening-port are both \(port): give the admin API a port of its own, "
                            + "or leave admin-listening-port out to serve it on the API listener",
                        line: place?.line, key: place?.key
                    ))
            }
        } else if !gatewayGiven {
            self.warnAboutIdleGatewayOptions()
        }
        if self.configuration.adminListeningPort != nil, self.settingPlaces[.adminTokenFile] == nil {
            self.report(
                .error, "admin-listening-port needs admin-token-file: the admin API is off without its bearer token",
                at: .adminListeningPort)
        }
        self.checkSecretReuse()
        self.checkCORSWildcard()
    }

    private mutating func checkCertificatePair() {
        let certificate = self.settingPlaces[.apiCert] != nil
        let privateKey = self.settingPlaces[.apiPKey] != nil
        if certificate, !privateKey {
            self.report(.error, "api-cert needs api-pkey: HTTPS needs the certificate's private key as well", at: .apiCert)
        }
        if privateKey, !certificate {
            self.report(.error, "api-pkey needs api-cert: HTTPS needs the certificate chain as well", at: .apiPKey)
        }
    }

    private mutating func warnAboutIdleGatewayOptions() {
        let adminServedAlone = self.configuration.adminListeningPort != nil
        let idle = Self.gatewayOnlySettings.filter { setting in
            guard self.firstSettingPlaces[setting] != nil else { return false }
            return !(adminServedAlone && (setting == .adminTokenFile || setting == .credentialTTL))
        }
        let places = idle.compactMap { self.firstSettingPlaces[$0] }
        guard let first = places.min(by: { ($0.line ?? Int.max) < ($1.line ?? Int.max) }) else { return }
        let names = idle.compactMap { setting in ConfigKey.catalogue.first { $0.support == .supported(setting) }?.name }
        self.diagnostics.append(
            .warning(
                "the credential gateway is off (no api-listening-port), so these options have no effect: "
                    + names.joined(separator: ", "),
                line: first.line, key: first.key
            ))
    }

    private mutating func checkSecretReuse() {
        let staticSecrets = Set(self.configuration.staticAuthSecrets)
        let reused = self.jwtSecretPlaces.filter { staticSecrets.contains($0.key) }.map(\.value)
        for place in reused.sorted(by: { ($0.line ?? Int.max) < ($1.line ?? Int.max) }) {
            self.diagnostics.append(
                .warning(
                    "this jwt-secret is also a static-auth-secret: whoever holds it for one purpose can then forge the other's "
                        + "tokens or TURN passwords; use different secrets",
                    line: place.line, key: place.key
                ))
        }
    }

    private mutating func checkCORSWildcard() {
        guard self.corsOriginPlaces.count > 1, let wildcard = self.corsOriginPlaces.first(where: { $0.origin == "*" }) else { return }
        self.diagnostics.append(
            .warning(
                "api-cors-origin=* allows every origin, so the other api-cors-origin values have no effect",
                line: wildcard.place.line, key: wildcard.place.key
            ))
    }
}
