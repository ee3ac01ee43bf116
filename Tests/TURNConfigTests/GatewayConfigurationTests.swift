import Testing

@testable import TURNConfig

/// A `jwt-secret` long enough to give no warning; each test that checks that secrets stay out
/// of diagnostics looks for it.
private let jwtSecret = "jwt-secret-0123456789abcdefghijklmnopqrstuvwxyz"

/// What the gateway needs, on lines 1 to 3.
private let gatewayLines = ["api-listening-port=8080", "static-auth-secret=relay-secret", "jwt-secret=\(jwtSecret)"]

/// The gateway's lines followed by `extra`: line 4 is the first of `extra`.
private func gatewayFile(_ extra: String...) -> String {
    (gatewayLines + extra).joined(separator: "\n")
}

struct GatewayConfigurationTests {
    /// The credential gateway's options, in catalogue order.
    static let gatewayKeys = [
        "api-listening-ip", "api-listening-port", "api-cert", "api-pkey", "jwt-secret", "jwt-public-key-file", "jwt-jwks-file",
        "jwt-jwks-url", "jwt-issuer", "jwt-audience", "jwt-leeway", "jwt-max-lifetime", "jwt-required-claim", "jwt-user-claim",
        "credential-ttl", "turn-uris", "api-rate-limit", "api-connection-limit", "api-allowed-ip", "api-denied-ip", "api-cors-origin",
        "ice-test-page", "no-signaling", "signal-open-rooms", "signal-room-max-peers", "signal-max-message-size",
        "signal-message-rate", "signal-user-connections", "signal-auth-timeout", "signal-ping-interval", "security-log-file",
        "admin-token-file", "admin-listening-port", "bandwidth-class", "credential-expiry-policy",
    ]

    @Test
    func defaultsAreTheDocumentedOnes() {
        let configuration = TURNServerConfiguration()
        #expect(configuration.apiListeningIPs.isEmpty)
        #expect(configuration.apiListeningPort == nil)
        #expect(configuration.apiCertificateFile == nil && configuration.apiPrivateKeyFile == nil)
        #expect(configuration.jwtSecrets.isEmpty && configuration.jwtPublicKeyFiles.isEmpty)
        #expect(configuration.jwtJWKSFile == nil && configuration.jwtJWKSURL == nil)
        #expect(configuration.jwtIssuers.isEmpty && configuration.jwtAudiences.isEmpty)
        #expect(configuration.jwtLeeway == 60)
        #expect(configuration.jwtMaxLifetime == 86400)
        #expect(configuration.jwtRequiredClaims.isEmpty)
        #expect(configuration.jwtUserClaim == "sub")
        #expect(configuration.credentialTTL == 3600)
        #expect(configuration.turnURIs.isEmpty)
        #expect(configuration.apiRateLimit == TURNServerConfiguration.RateLimit(count: 50, seconds: 60))
        #expect(configuration.apiConnectionLimit == 1024)
        #expect(configuration.apiAllowedIPs.isEmpty && configuration.apiDeniedIPs.isEmpty)
        #expect(configuration.apiCORSOrigins.isEmpty)
        #expect(!configuration.iceTestPage)
        #expect(configuration.adminTokenFile == nil && configuration.adminListeningPort == nil)
        #expect(
            configuration.bandwidthClasses == [
                .init(name: "audio", kbps: 100), .init(name: "video", kbps: 1000), .init(name: "screen", kbps: 2500),
            ])
        #expect(configuration.credentialExpiryPolicy == .allocate)
    }

    @Test
    func registersEveryKeyWithItsArity() throws {
        let repeatable: Set = [
            "api-listening-ip", "jwt-secret", "jwt-public-key-file", "jwt-issuer", "jwt-audience", "jwt-required-claim", "turn-uris",
            "api-allowed-ip", "api-denied-ip", "api-cors-origin", "bandwidth-class",
        ]
        let flags: Set = ["ice-test-page", "no-signaling", "signal-open-rooms"]
        for name in Self.gatewayKeys {
            let key = try #require(ConfigKey.named(name))
            #expect(key.origin == .turnGate, "\(name)")
            #expect(key.arity == (flags.contains(name) ? .flag : .value), "\(name)")
            #expect(key.isSupported, "\(name)")
            #expect(key.isRepeatable == repeatable.contains(name), "\(name)")
        }
    }

    @Test
    func appliesEveryGatewayOption() {
        let text = gatewayFile(
            "api-listening-ip=127.0.0.1",
            "api-listening-ip=::1",
            "api-cert=/etc/turngate/api-cert.pem",
            "api-pkey=/etc/turngate/api-key.pem",
            "jwt-secret=\(jwtSecret)-next",
            "jwt-public-key-file=/etc/turngate/rsa.pem",
            "jwt-public-key-file=/etc/turngate/ec.pem",
            "jwt-jwks-file=/etc/turngate/jwks.json",
            "jwt-jwks-url=https://auth.example.com/.well-known/jwks.json",
            "jwt-issuer=https://auth.example.com/",
            "jwt-issuer=https://other.example.com/",
            "jwt-audience=turngate",
            "jwt-leeway=0",
            "jwt-max-lifetime=600",
            "jwt-required-claim=type=webrtc",
            "jwt-required-claim tier=a=b",
            "jwt-user-claim=userId",
            "credential-ttl=600",
            "turn-uris=turn:turn.example.com:3478?transport=udp, turns:turn.example.com:5349?transport=tcp",
            "turn-uris=stun:stun.example.com",
            "api-rate-limit=10/1",
            "api-connection-limit=64",
            "api-allowed-ip=10.0.0.0/8",
            "api-denied-ip=10.0.13.0-10.0.13.255",
            "api-cors-origin=https://app.example.com",
            "api-cors-origin=http://localhost:3000",
            "ice-test-page",
            "admin-token-file=/etc/turngate/admin-token",
            "admin-listening-port=8081",
            "bandwidth-class=hd=4000",
            "credential-expiry-policy=STRICT"
        )
        let (configuration, diagnostics) = loadOptions(text, strict: true)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(configuration.apiListeningPort == 8080)
        #expect(configuration.apiListeningIPs == ["127.0.0.1", "::1"])
        #expect(configuration.apiCertificateFile == "/etc/turngate/api-cert.pem")
        #expect(configuration.apiPrivateKeyFile == "/etc/turngate/api-key.pem")
        #expect(configuration.jwtSecrets == [jwtSecret, "\(jwtSecret)-next"])
        #expect(configuration.jwtPublicKeyFiles == ["/etc/turngate/rsa.pem", "/etc/turngate/ec.pem"])
        #expect(configuration.jwtJWKSFile == "/etc/turngate/jwks.json")
        #expect(configuration.jwtJWKSURL == "https://auth.example.com/.well-known/jwks.json")
        #expect(configuration.jwtIssuers == ["https://auth.example.com/", "https://other.example.com/"])
        #expect(configuration.jwtAudiences == ["turngate"])
        #expect(configuration.jwtLeeway == 0)
        #expect(configuration.jwtMaxLifetime == 600)
        #expect(configuration.jwtRequiredClaims == [.init(name: "type", value: "webrtc"), .init(name: "tier", value: "a=b")])
        #expect(configuration.jwtUserClaim == "userId")
        #expect(configuration.credentialTTL == 600)
        #expect(
            configuration.turnURIs == [
                "turn:turn.example.com:3478?transport=udp", "turns:turn.example.com:5349?transport=tcp", "stun:stun.example.com",
            ])
        #expect(configuration.apiRateLimit == .init(count: 10, seconds: 1))
        #expect(configuration.apiConnectionLimit == 64)
        #expect(configuration.apiAllowedIPs.map(\.description) == ["10.0.0.0/8"])
        #expect(configuration.apiDeniedIPs.map(\.description) == ["10.0.13.0/24"])
        #expect(configuration.apiCORSOrigins == ["https://app.example.com", "http://localhost:3000"])
        #expect(configuration.iceTestPage)
        #expect(configuration.adminTokenFile == "/etc/turngate/admin-token")
        #expect(configuration.adminListeningPort == 8081)
        #expect(configuration.bandwidthClasses == [.init(name: "hd", kbps: 4000)])
        #expect(configuration.credentialExpiryPolicy == .strict)
    }

    @Test(
        arguments: [
            ("api-rate-limit=50/60", TURNServerConfiguration.RateLimit(count: 50, seconds: 60)),
            ("api-rate-limit=10", TURNServerConfiguration.RateLimit(count: 10, seconds: 60)),
            ("api-rate-limit=1/1", TURNServerConfiguration.RateLimit(count: 1, seconds: 1)),
            ("api-rate-limit=off", nil),
            ("api-rate-limit=Off", nil),
        ] as [(String, TURNServerConfiguration.RateLimit?)])
    func readsTheRateLimit(line: String, limit: TURNServerConfiguration.RateLimit?) {
        let (configuration, diagnostics) = loadOptions(gatewayFile(line), strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.apiRateLimit == limit)
    }

    @Test(arguments: CredentialExpiryPolicyVector.all)
    func readsTheExpiryPolicyWithOrWithoutTheGateway(vector: CredentialExpiryPolicyVector) {
        let (configuration, diagnostics) = loadOptions("credential-expiry-policy=\(vector.text)", strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.credentialExpiryPolicy == vector.policy)
    }

    @Test(arguments: ["*", "https://app.example.com", "http://localhost:3000", "https://[::1]:8443", "https://a.example.com:443"])
    func acceptsOrigins(origin: String) {
        let (configuration, diagnostics) = loadOptions(gatewayFile("api-cors-origin=\(origin)"), strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.apiCORSOrigins == [origin])
    }

    @Test(arguments: [
        "https://keys.example.com/jwks.json", "HTTPS://keys.example.com", "http://localhost:8000/jwks", "http://127.0.0.1/jwks",
    ])
    func acceptsAJWKSURLWithoutWarning(url: String) {
        let (configuration, diagnostics) = loadOptions(gatewayFile("jwt-jwks-url=\(url)"), strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.jwtJWKSURL == url)
    }

    @Test
    func warnsAboutAJWKSURLOverPlainHTTP() throws {
        let (configuration, diagnostics) = loadOptions(gatewayFile("jwt-jwks-url=http://keys.example.com/jwks.json"))
        let warning = try onlyDiagnostic(in: diagnostics, severity: .warning, line: 4, key: "jwt-jwks-url")
        #expect(warning.message.contains("use https://"))
        #expect(configuration.jwtJWKSURL == "http://keys.example.com/jwks.json")
    }

    @Test
    func aSingleValuedOptionGivenTwiceKeepsTheLast() throws {
        let (configuration, diagnostics) = loadOptions(gatewayFile("credential-ttl=600", "credential-ttl=900"))
        let warning = try onlyDiagnostic(in: diagnostics, severity: .warning, line: 5, key: "credential-ttl")
        #expect(warning.message == "option 'credential-ttl' is also given on line 4: only the last one applies")
        #expect(configuration.credentialTTL == 900)
    }

    @Test
    func warnsAboutARepeatedAddressURIOrOrigin() {
        let text = gatewayFile(
            "api-listening-ip=127.0.0.1", "api-listening-ip=127.0.0.1", "turn-uris=turn:a.example.com,turn:a.example.com",
            "api-cors-origin=https://app.example.com", "api-cors-origin=https://app.example.com")
        let (configuration, diagnostics) = loadOptions(text)
        #expect(diagnostics.map(\.line) == [5, 6, 8])
        #expect(diagnostics.allSatisfy { $0.severity == .warning && $0.message.contains("more than once") })
        #expect(configuration.apiListeningIPs == ["127.0.0.1"])
        #expect(configuration.turnURIs == ["turn:a.example.com"])
        #expect(configuration.apiCORSOrigins == ["https://app.example.com"])
    }

    // MARK: Bandwidth classes

    @Test
    func theFirstBandwidthClassReplacesTheDefaults() {
        let (configuration, diagnostics) = loadOptions(
            gatewayFile("bandwidth-class=audio=64", "bandwidth-class data.sync=20"), strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.bandwidthClasses == [.init(name: "audio", kbps: 64), .init(name: "data.sync", kbps: 20)])
    }

    @Test
    func aRepeatedBandwidthClassWarnsAndTheLastWins() throws {
        let text = gatewayFile("bandwidth-class=audio=64", "bandwidth-class=video=800", "bandwidth-class=audio=128")
        let (configuration, diagnostics) = loadOptions(text)
        let warning = try onlyDiagnostic(in: diagnostics, severity: .warning, line: 6, key: "bandwidth-class")
        #expect(warning.message == "bandwidth class 'audio' is also given on line 4: only the last one applies")
        #expect(configuration.bandwidthClasses == [.init(name: "audio", kbps: 128), .init(name: "video", kbps: 800)])
    }

    @Test
    func aBadBandwidthClassLeavesTheDefaults() {
        let (configuration, diagnostics) = loadOptions(gatewayFile("bandwidth-class=video=fast"))
        #expect(diagnostics.map(\.line) == [4])
        #expect(configuration.bandwidthClasses == TURNServerConfiguration.defaultBandwidthClasses)
    }

    // MARK: Bad values

    static let badValues: [BadValueVector] = [
        BadValueVector("api-listening-ip=localhost", key: "api-listening-ip", "'localhost' is not an IPv4 or IPv6 address"),
        BadValueVector("api-listening-ip=[::1]", key: "api-listening-ip", "write IPv6 addresses without brackets"),
        BadValueVector("api-listening-port=0", key: "api-listening-port", "0 is not a port number"),
        BadValueVector("api-listening-port=http", key: "api-listening-port", "'http' is not a port number"),
        BadValueVector("jwt-secret=", key: "jwt-secret", "option 'jwt-secret' requires a value"),
        BadValueVector("jwt-public-key-file", key: "jwt-public-key-file", "requires a value"),
        BadValueVector("jwt-jwks-file=", key: "jwt-jwks-file", "requires a value"),
        BadValueVector("jwt-jwks-url=ftp://keys.example.com/jwks.json", key: "jwt-jwks-url", "is not an http:// or https:// URL"),
        BadValueVector("jwt-jwks-url=keys.example.com/jwks.json", key: "jwt-jwks-url", "is not an http:// or https:// URL"),
        BadValueVector("jwt-jwks-url=https:///jwks.json", key: "jwt-jwks-url", "has no host after the scheme"),
        BadValueVector("jwt-issuer", key: "jwt-issuer", "requires a value"),
        BadValueVector("jwt-audience=", key: "jwt-audience", "requires a value"),
        BadValueVector(
            "jwt-leeway=3601", key: "jwt-leeway", "3601 is not allowed as a number of seconds: expected a whole number from 0 to 3600"),
        BadValueVector("jwt-leeway=-1", key: "jwt-leeway", "'-1' is not a number of seconds"),
        BadValueVector("jwt-max-lifetime=0", key: "jwt-max-lifetime", "expected a whole number from 1 up"),
        BadValueVector("jwt-max-lifetime=1d", key: "jwt-max-lifetime", "'1d' is not a number of seconds"),
        BadValueVector("jwt-required-claim=webrtc", key: "jwt-required-claim", "expected name=value"),
        BadValueVector("jwt-required-claim \"=webrtc\"", key: "jwt-required-claim", "the claim name before '=' is empty"),
        BadValueVector("jwt-user-claim=", key: "jwt-user-claim", "requires a value"),
        BadValueVector(
            "credential-ttl=59", key: "credential-ttl",
            "59 is not allowed as a number of seconds: expected a whole number from 60 to 604800"),
        BadValueVector("credential-ttl=604801", key: "credential-ttl", "from 60 to 604800"),
        BadValueVector("credential-ttl=1h", key: "credential-ttl", "'1h' is not a number of seconds"),
        BadValueVector("turn-uris=http://turn.example.com", key: "turn-uris", "must start with turn:, turns: or stun:"),
        BadValueVector("turn-uris=turn:a.example.com, ftp:b", key: "turn-uris", "'ftp:b' is not a TURN or STUN URI"),
        BadValueVector("turn-uris=turn:a.example.com,,stun:b.example.com", key: "turn-uris", "the list has an empty URI"),
        BadValueVector("turn-uris=turn:a.example.com,", key: "turn-uris", "the list has an empty URI"),
        BadValueVector("turn-uris=turn://turn.example.com:3478", key: "turn-uris", "which RFC 7065 does not allow"),
        BadValueVector("turn-uris=turn:", key: "turn-uris", "has no host"),
        BadValueVector("turn-uris=turns::5349", key: "turn-uris", "has no host"),
        BadValueVector(
            "api-rate-limit=fast", key: "api-rate-limit", "expected COUNT/SECONDS (such as 50/60), COUNT (per 60 seconds) or off"),
        BadValueVector("api-rate-limit=0", key: "api-rate-limit", "give 1 or more, or off for no limit"),
        BadValueVector("api-rate-limit=0/60", key: "api-rate-limit", "give 1 or more, or off for no limit"),
        BadValueVector("api-rate-limit=50/0", key: "api-rate-limit", "must be 1 second or more"),
        BadValueVector("api-rate-limit=50/", key: "api-rate-limit", "'50/' is not a rate limit"),
        BadValueVector("api-rate-limit=/60", key: "api-rate-limit", "'/60' is not a rate limit"),
        BadValueVector("api-rate-limit=50/60/2", key: "api-rate-limit", "is not a rate limit"),
        BadValueVector(
            "api-connection-limit=0", key: "api-connection-limit",
            "0 is not allowed as a number of connections: expected a whole number from 1 up"),
        BadValueVector("api-connection-limit=many", key: "api-connection-limit", "'many' is not a number of connections"),
        BadValueVector("api-allowed-ip=10.0.0.1/8", key: "api-allowed-ip", "the address has bits set after the first 8"),
        BadValueVector("api-denied-ip=client.example.com", key: "api-denied-ip", "a CIDR block (address/length) or a range (first-last)"),
        BadValueVector("api-denied-ip=10.0.0.9-10.0.0.1", key: "api-denied-ip", "the first address is above the last"),
        BadValueVector(
            "api-cors-origin=https://app.example.com/", key: "api-cors-origin", "an origin has no path, query or fragment (drop '/')"),
        BadValueVector("api-cors-origin=https://app.example.com/login", key: "api-cors-origin", "(drop '/login')"),
        BadValueVector("api-cors-origin=app.example.com", key: "api-cors-origin", "expected * or http(s)://host[:port]"),
        BadValueVector("api-cors-origin=https://App.example.com", key: "api-cors-origin", "write it in lower case"),
        BadValueVector(
            "api-cors-origin=https://app.example.com:99999", key: "api-cors-origin", "the port must be a number from 1 to 65535"),
        BadValueVector("api-cors-origin=https://", key: "api-cors-origin", "it has no host"),
        BadValueVector("api-cors-origin=https://user@app.example.com", key: "api-cors-origin", "user information"),
        BadValueVector("api-cors-origin=*.example.com", key: "api-cors-origin", "is not an origin"),
        BadValueVector("admin-token-file=", key: "admin-token-file", "requires a value"),
        BadValueVector("admin-listening-port=65536", key: "admin-listening-port", "65536 is not a port number"),
        BadValueVector("bandwidth-class=video", key: "bandwidth-class", "expected name=kbps (such as video=1000), and there is no '='"),
        BadValueVector("bandwidth-class \"=1000\"", key: "bandwidth-class", "the class name before '=' is empty"),
        BadValueVector(
            "bandwidth-class=video=0", key: "bandwidth-class",
            "0 is not allowed as a bandwidth in kbit/s: expected a whole number from 1 to 10000000"),
        BadValueVector("bandwidth-class=video=10000001", key: "bandwidth-class", "from 1 to 10000000"),
        BadValueVector("bandwidth-class=hd video=4000", key: "bandwidth-class", "the class name 'hd video' may hold only ASCII letters"),
        BadValueVector(
            "credential-expiry-policy=never", key: "credential-expiry-policy",
            "unknown credential expiry policy 'never': expected one of allocate, refresh, strict"),
    ]

    /// Each bad value gives exactly one error, on its line, naming its option, in a file whose
    /// gateway is otherwise complete (the vector's option is left out of the gateway's lines).
    @Test(arguments: Self.badValues)
    func reportsBadValuesOnTheirLine(vector: BadValueVector) throws {
        let base = gatewayLines.filter { !$0.hasPrefix(vector.key + "=") }
        let padding = Array(repeating: "# padding", count: 3 - base.count)
        let text = (base + padding + [vector.line]).joined(separator: "\n")
        let (_, diagnostics) = loadOptions(text)
        let error = try onlyDiagnostic(in: diagnostics, severity: .error, line: 4, key: vector.key)
        #expect(error.message.hasPrefix("\(vector.key): ") || error.message.hasPrefix("option '\(vector.key)' requires a value"))
        #expect(error.message.contains(vector.messagePart), "\(error.message)")
        #expect(error.description.hasPrefix("line 4: error: "))
    }

    // MARK: Checks across options

    @Test
    func theGatewayNeedsAJWTKey() throws {
        let (_, diagnostics) = loadOptions("static-auth-secret=relay-secret\napi-listening-port=8080\njwt-issuer=me")
        let error = try onlyDiagnostic(in: diagnostics, severity: .error, line: 2, key: "api-listening-port")
        #expect(error.message.hasPrefix("the gateway needs a JWT key: give jwt-secret, jwt-public-key-file, jwt-jwks-file or jwt-jwks-url"))
    }

    @Test(arguments: [
        "jwt-secret=\(jwtSecret)", "jwt-public-key-file=/etc/turngate/key.pem", "jwt-jwks-file=/etc/turngate/jwks.json",
        "jwt-jwks-url=https://auth.example.com/jwks.json",
    ])
    func anyOfTheFourKeysSatisfiesTheGateway(line: String) {
        let (configuration, diagnostics) = loadOptions("static-auth-secret=relay-secret\napi-listening-port=8080\n\(line)", strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.apiListeningPort == 8080)
    }

    @Test
    func theGatewayNeedsAStaticAuthSecret() throws {
        let (_, diagnostics) = loadOptions("jwt-secret=\(jwtSecret)\nuser=alice:pw\napi-listening-port=8080")
        let error = try onlyDiagnostic(in: diagnostics, severity: .error, line: 3, key: "api-listening-port")
        #expect(error.message.contains("static-auth-secret"))
        #expect(error.message.contains("the first one"))
    }

    @Test
    func aGatewayWithoutKeyOrSecretGetsBothErrors() {
        let (_, diagnostics) = loadOptions("fingerprint\napi-listening-port=8080")
        #expect(diagnostics.map(\.line) == [2, 2])
        #expect(diagnostics.allSatisfy { $0.severity == .error && $0.key == "api-listening-port" })
    }

    @Test
    func gatewayOptionsWithoutThePortGetOneWarningOnTheFirst() throws {
        let text = "realm=example.org\njwt-secret=\(jwtSecret)\ncredential-ttl=600\njwt-secret=\(jwtSecret)-2\nturn-uris=turn:a.example.com"
        let (configuration, diagnostics) = loadOptions(text)
        let warning = try onlyDiagnostic(in: diagnostics, severity: .warning, line: 2, key: "jwt-secret")
        #expect(warning.message.hasPrefix("the credential gateway is off (no api-listening-port), so these options have no effect: "))
        #expect(warning.message.hasSuffix(": jwt-secret, credential-ttl, turn-uris"))
        #expect(configuration.apiListeningPort == nil)
        let (_, strictDiagnostics) = loadOptions(text, strict: true)
        #expect(strictDiagnostics.map(\.severity) == [.error])
    }

    @Test
    func theExpiryPolicyAndAStandaloneAdminAPIWorkWithoutTheGateway() {
        let text =
            "credential-expiry-policy=refresh\nadmin-token-file=/etc/turngate/admin-token\nadmin-listening-port=8081\ncredential-ttl=600"
        let (configuration, diagnostics) = loadOptions(text, strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.adminListeningPort == 8081)
        #expect(configuration.credentialExpiryPolicy == .refresh)
    }

    @Test
    func anAdminTokenWithoutEitherListenerHasNoEffect() throws {
        let (_, diagnostics) = loadOptions("admin-token-file=/etc/turngate/admin-token")
        let warning = try onlyDiagnostic(in: diagnostics, severity: .warning, line: 1, key: "admin-token-file")
        #expect(warning.message.hasSuffix("no effect: admin-token-file"))
    }

    @Test
    func aBadPortIsNotAlsoReportedAsAMissingGateway() throws {
        let (_, diagnostics) = loadOptions("jwt-secret=\(jwtSecret)\napi-listening-port=80800")
        try onlyDiagnostic(in: diagnostics, severity: .error, line: 2, key: "api-listening-port")
    }

    @Test
    func theAdminPortNeedsTheTokenFile() throws {
        let (_, diagnostics) = loadOptions(gatewayFile("admin-listening-port=8081"))
        let error = try onlyDiagnostic(in: diagnostics, severity: .error, line: 4, key: "admin-listening-port")
        #expect(error.message == "admin-listening-port needs admin-token-file: the admin API is off without its bearer token")
    }

    @Test(arguments: [
        ("admin-listening-port=8080\nadmin-token-file=/t\n" + gatewayFile(), 3, "api-listening-port"),
        (gatewayFile("admin-token-file=/t", "admin-listening-port=8080"), 5, "admin-listening-port"),
    ])
    func theAdminPortIsNotTheAPIPort(text: String, line: Int, key: String) throws {
        let (_, diagnostics) = loadOptions(text)
        let error = try onlyDiagnostic(in: diagnostics, severity: .error, line: line, key: key)
        #expect(error.message.hasPrefix("admin-listening-port and api-listening-port are both 8080"))
    }

    @Test(arguments: [
        ("api-cert=/c.pem", "api-cert", "api-cert needs api-pkey"),
        ("api-pkey=/k.pem", "api-pkey", "api-pkey needs api-cert"),
    ])
    func theCertificateAndKeyComeTogether(line: String, key: String, message: String) throws {
        let (_, diagnostics) = loadOptions(gatewayFile(line))
        let error = try onlyDiagnostic(in: diagnostics, severity: .error, line: 4, key: key)
        #expect(error.message.hasPrefix(message))
        let (_, paired) = loadOptions(gatewayFile("api-cert=/c.pem", "api-pkey=/k.pem"), strict: true)
        #expect(paired.isEmpty)
    }

    @Test
    func warnsAboutAShortRepeatedOrSharedJWTSecret() {
        let text = gatewayFile("jwt-secret=short", "jwt-secret=\(jwtSecret)", "jwt-secret=relay-secret")
        let (configuration, diagnostics) = loadOptions(text)
        #expect(diagnostics.map(\.line) == [4, 5, 6, 6])
        #expect(diagnostics.allSatisfy { $0.severity == .warning && $0.key == "jwt-secret" })
        #expect(diagnostics[0].message.contains("shorter than 32 bytes"))
        #expect(diagnostics[1].message == "this jwt-secret is the same as the one on line 3")
        #expect(diagnostics.contains { $0.line == 6 && $0.message.hasPrefix("this jwt-secret is also a static-auth-secret") })
        #expect(configuration.jwtSecrets == [jwtSecret, "short", "relay-secret"])
    }

    @Test
    func warnsWhenTheWildcardOriginMakesTheOthersMoot() throws {
        let (_, diagnostics) = loadOptions(gatewayFile("api-cors-origin=https://a.example.com", "api-cors-origin=*"))
        let warning = try onlyDiagnostic(in: diagnostics, severity: .warning, line: 5, key: "api-cors-origin")
        #expect(warning.message.hasPrefix("api-cors-origin=* allows every origin"))
    }

    // MARK: Secrets

    /// Configurations that hold `jwt-secret` values and are wrong in some way, so that each gives
    /// at least one diagnostic.
    static let secretBearingFiles: [String] = [
        "jwt-secret=\(jwtSecret)",
        "jwt-secret=\(jwtSecret)\njwt-secret=\(jwtSecret)",
        gatewayFile("jwt-secret=\(jwtSecret)"),
        gatewayFile("jwt-secret=\(jwtSecret.prefix(12))"),
        "static-auth-secret=\(jwtSecret)\napi-listening-port=8080\njwt-secret=\(jwtSecret)",
        "jwt-secret=\(jwtSecret) # the secret",
        "jwt-secret=\"\(jwtSecret)",
        "jwt-secret=\(jwtSecret);",
        "jwt_secret=\(jwtSecret)",
        "jwt-secret:\(jwtSecret)",
        "api-listening-port=8080\njwt-secret \(jwtSecret)\nadmin-listening-port=8080",
    ]

    @Test(arguments: Self.secretBearingFiles, [false, true])
    func noDiagnosticRepeatsAJWTSecret(text: String, strict: Bool) {
        let (_, diagnostics) = loadFile(text, strict: strict)
        #expect(!diagnostics.isEmpty)
        let short = String(jwtSecret.prefix(12))
        for diagnostic in diagnostics {
            #expect(!diagnostic.description.contains(short), "\(diagnostic)")
            #expect(!(diagnostic.key ?? "").contains(short), "\(diagnostic)")
        }
    }

    @Test
    func noCommandLineDiagnosticRepeatsAJWTSecret() {
        let arguments = [
            "--jwt-secret", jwtSecret, "--jwt-secret=\(jwtSecret)", "--jwt-secret", "t1ny-s3cret", "--admin-listening-port", "1",
            "--jwt-secret:\(jwtSecret)",
        ]
        let (_, diagnostics) = TURNServerConfiguration.load(fileText: "", arguments: arguments, strict: true)
        #expect(diagnostics.count >= 4)
        for diagnostic in diagnostics {
            #expect(!diagnostic.description.contains(jwtSecret.prefix(12)) && !diagnostic.description.contains("t1ny"), "\(diagnostic)")
            #expect(!(diagnostic.key ?? "").contains(jwtSecret.prefix(12)), "\(diagnostic)")
        }
    }

    @Test
    func aColonForAnEqualsSignDoesNotEchoTheValue() throws {
        let (_, diagnostics) = loadOptions("static-auth-secret:hunter2-relay\njwt-secret:hunter2-jwt")
        #expect(diagnostics.map(\.line) == [1, 2])
        #expect(diagnostics.map(\.key) == ["static-auth-secret", "jwt-secret"])
        let warning = try #require(diagnostics.last)
        #expect(
            warning.message
                == "unknown option 'jwt-secret…': text follows 'jwt-secret' without '=' or a space (did you mean 'jwt-secret=…'?); "
                + "the text is not repeated here, as it may be a secret")
        #expect(diagnostics.allSatisfy { !$0.description.contains("hunter2") })
    }

    // MARK: Command line

    @Test(arguments: [["--api-listening-port", "8080"], ["--api-listening-port=8080"]])
    func readsTheGatewayPortFromTheCommandLine(arguments: [String]) {
        let (configuration, diagnostics) = TURNServerConfiguration.load(
            fileText: "static-auth-secret=relay-secret\njwt-secret=\(jwtSecret)", arguments: arguments, strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.apiListeningPort == 8080)
    }

    @Test
    func theCommandLineReplacesTheFilesLists() {
        let file = gatewayFile("turn-uris=turn:file.example.com", "bandwidth-class=file=1", "credential-ttl=600")
        let arguments = [
            "--turn-uris", "turn:cli.example.com,stun:cli.example.com", "--bandwidth-class=cli=2", "--credential-ttl", "1200",
            "--api-rate-limit", "off", "--credential-expiry-policy", "refresh",
        ]
        let (configuration, diagnostics) = TURNServerConfiguration.load(fileText: file, arguments: arguments, strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.turnURIs == ["turn:cli.example.com", "stun:cli.example.com"])
        #expect(configuration.bandwidthClasses == [.init(name: "cli", kbps: 2)])
        #expect(configuration.credentialTTL == 1200)
        #expect(configuration.apiRateLimit == nil)
        #expect(configuration.credentialExpiryPolicy == .refresh)
    }

    @Test
    func reportsBadCommandLineValuesWithoutALine() throws {
        let (_, diagnostics) = TURNServerConfiguration.load(
            fileText: gatewayFile(), arguments: ["--jwt-leeway", "9999"], strict: false)
        let error = try onlyDiagnostic(in: diagnostics, severity: .error, line: nil, key: "jwt-leeway")
        #expect(error.description.hasPrefix("command line: error: jwt-leeway: 9999 is not allowed as a number of seconds"))
    }

    @Test
    func placesACrossCheckOnTheCommandLineWhenTheCommandLineGaveTheOption() throws {
        let (_, diagnostics) = TURNServerConfiguration.load(
            fileText: "static-auth-secret=relay-secret", arguments: ["--api-listening-port", "8080"], strict: false)
        let error = try onlyDiagnostic(in: diagnostics, severity: .error, line: nil, key: "api-listening-port")
        #expect(error.description.hasPrefix("command line: error: the gateway needs a JWT key"))
    }
}

/// A `credential-expiry-policy` value and the policy it names.
struct CredentialExpiryPolicyVector: Sendable, CustomTestStringConvertible {
    let text: String
    let policy: TURNServerConfiguration.CredentialExpiryPolicy

    static let all = [
        Self(text: "allocate", policy: .allocate), Self(text: "refresh", policy: .refresh), Self(text: "strict", policy: .strict),
        Self(text: "Refresh", policy: .refresh),
    ]

    var testDescription: String { self.text }
}
