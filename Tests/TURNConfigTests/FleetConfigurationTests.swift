import Testing
import TURNConfig

/// The fleet options (`nonce-secret-file`, drain, `cert-reload-interval`, `external-ip=auto`)
/// and `${NAME}` environment references.
struct FleetConfigurationTests {
    @Test func defaultsLeaveTheFleetOptionsOff() {
        let (configuration, diagnostics) = loadOptions("")
        #expect(diagnostics.isEmpty)
        #expect(configuration.nonceSecretFile == nil)
        #expect(configuration.drainMinAllocations == 0)
        #expect(configuration.drainTimeout == 3600)
        #expect(!configuration.drainOnSigterm)
        #expect(configuration.certReloadInterval == 5)
        #expect(!configuration.externalIPAuto)
    }

    @Test func readsTheFleetOptions() {
        let (configuration, diagnostics) = loadOptions(
            "nonce-secret-file=/etc/turngate/nonce\ndrain-min-allocations=3\ndrain-timeout=300\ndrain-on-sigterm\ncert-reload-interval=0\nexternal-ip=auto")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(configuration.nonceSecretFile == "/etc/turngate/nonce")
        #expect(configuration.drainMinAllocations == 3)
        #expect(configuration.drainTimeout == 300)
        #expect(configuration.drainOnSigterm)
        #expect(configuration.certReloadInterval == 0)
        #expect(configuration.externalIPAuto)
        #expect(configuration.externalIPs.isEmpty)
    }

    @Test(arguments: [
        BadValueVector("drain-timeout=0", key: "drain-timeout", "from 1 up"),
        BadValueVector("drain-min-allocations=-1", key: "drain-min-allocations", "allocations"),
        BadValueVector("cert-reload-interval=soon", key: "cert-reload-interval", "seconds"),
    ])
    func refusesBadFleetValues(vector: BadValueVector) throws {
        try loadBadValue(vector)
    }

    @Test func readsCoturnsStatelessNonceSecret() {
        let secret = String(repeating: "k", count: TURNServerConfiguration.recommendedNonceSecretLength)
        let (configuration, diagnostics) = loadOptions("stateless-nonce-secret=\(secret)")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(configuration.statelessNonceSecret == secret)
    }

    @Test func warnsOfAShortStatelessNonceSecretWithoutRepeatingIt() throws {
        let (configuration, diagnostics) = loadOptions("stateless-nonce-secret=fleet-nonce-secret")
        let warning = try onlyDiagnostic(in: diagnostics, severity: .warning, line: 1, key: "stateless-nonce-secret")
        #expect(warning.message.contains("18 characters"))
        #expect(!warning.message.contains("fleet-nonce-secret"))
        #expect(configuration.statelessNonceSecret == "fleet-nonce-secret")
    }

    @Test func refusesTwoSourcesForTheNonceKey() throws {
        let secret = String(repeating: "k", count: 40)
        let (_, diagnostics) = loadOptions("nonce-secret-file=/etc/turngate/nonce\nstateless-nonce-secret=\(secret)")
        let error = try onlyDiagnostic(in: diagnostics, severity: .error, line: 2, key: "stateless-nonce-secret")
        #expect(error.message.contains("give one"))
    }

    @Test(arguments: ["external-ip=auto\nexternal-ip=203.0.113.5", "external-ip=203.0.113.5\nexternal-ip=auto"])
    func refusesAutoBesideOtherExternalAddresses(text: String) throws {
        let (_, diagnostics) = loadOptions(text)
        let error = try onlyDiagnostic(in: diagnostics, severity: .error, line: 2, key: "external-ip")
        #expect(error.message.contains("auto cannot be combined"))
    }

    @Test func expandsEnvironmentReferencesInFileAndCommandLineValues() {
        let (configuration, diagnostics) = TURNServerConfiguration.load(
            fileText: "static-auth-secret=${SECRET}\nrelay-ip=${NODE_IP}\nrealm=${A}.${B}",
            arguments: ["--node-id", "node-${ZONE}"], strict: false,
            environment: ["SECRET": "s3cret", "NODE_IP": "192.0.2.10", "A": "turn", "B": "example.org", "ZONE": "eu1"])
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(configuration.staticAuthSecrets == ["s3cret"])
        #expect(configuration.relayIPs == ["192.0.2.10"])
        #expect(configuration.realm == "turn.example.org")
        #expect(configuration.nodeID == "node-eu1")
    }

    @Test func keepsDollarSignsThatAreNotReferences() {
        let (configuration, diagnostics) = TURNServerConfiguration.load(
            fileText: "static-auth-secret=a$b$$c$${NOT}", arguments: [], strict: false, environment: ["NOT": "x"])
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(configuration.staticAuthSecrets == ["a$b$$c${NOT}"])
    }

    @Test func anUnsetVariableIsAnErrorNamingItAndNotTheValue() throws {
        let (configuration, diagnostics) = TURNServerConfiguration.load(
            fileText: "static-auth-secret=s\nrealm=prefix-${MISSING_VAR}", arguments: [], strict: false, environment: [:])
        let error = try onlyDiagnostic(in: diagnostics, severity: .error, line: 2, key: "realm")
        #expect(error.message.contains("${MISSING_VAR}"))
        #expect(!error.message.contains("prefix-"))
        #expect(configuration.realm == nil)
    }

    @Test(arguments: ["realm=${UNCLOSED", "realm=${9LIVES}", "realm=${}", "realm=${A B}"])
    func refusesMalformedReferences(line: String) throws {
        let (_, diagnostics) = TURNServerConfiguration.load(
            fileText: line, arguments: [], strict: false, environment: ["A": "x"])
        try onlyDiagnostic(in: diagnostics.filter { !$0.concernsWholeConfiguration }, severity: .error, line: 1, key: "realm")
    }
}

/// The URIs the gateway hands out when `turn-uris` is not set.
struct AdvertisedTURNURITests {
    @Test func derivesOneURIPerListenerOnEachSpecificListeningAddress() {
        let (configuration, _) = loadOptions(
            "listening-ip=192.0.2.10\nlistening-ip=2001:db8::10\nlistening-port=3479\ncert=c.pem\npkey=k.pem\ntls-listening-port=5350")
        #expect(
            configuration.advertisedTURNURIs == [
                "turn:192.0.2.10:3479?transport=udp", "turn:192.0.2.10:3479?transport=tcp", "turns:192.0.2.10:5350?transport=tcp",
                "turn:[2001:db8::10]:3479?transport=udp", "turn:[2001:db8::10]:3479?transport=tcp", "turns:[2001:db8::10]:5350?transport=tcp",
            ])
    }

    @Test func prefersThePublicExternalAddressesAndLeavesOutListenersThatAreOff() {
        let (configuration, _) = loadOptions("listening-ip=10.0.0.5\nexternal-ip=203.0.113.5/10.0.0.5\nno-udp")
        #expect(configuration.advertisedTURNURIs == ["turn:203.0.113.5:3478?transport=tcp"])
    }

    @Test func usesTheRelayAddressUnderExternalIPAuto() {
        let (configuration, _) = loadOptions("relay-ip=203.0.113.9\nexternal-ip=auto\nno-tcp")
        #expect(configuration.advertisedTURNURIs == ["turn:203.0.113.9:3478?transport=udp"])
        let (listening, _) = loadOptions("listening-ip=203.0.113.10\nexternal-ip=auto\nno-tcp")
        #expect(listening.effectiveRelayIPs == ["203.0.113.10"])
        #expect(listening.advertisedTURNURIs == ["turn:203.0.113.10:3478?transport=udp"])
    }

    @Test func hasNoneOnTheWildcardAddressAndKeepsTheConfiguredOnes() {
        #expect(loadOptions("listening-ip=0.0.0.0").0.advertisedTURNURIs.isEmpty)
        #expect(loadOptions("").0.advertisedTURNURIs.isEmpty)
        #expect(loadOptions("listening-ip=192.0.2.1\nturn-uris=turn:turn.example.org").0.advertisedTURNURIs == ["turn:turn.example.org"])
    }
}

/// coturn's `no-stun` and `stun-only`.
struct ServiceModeConfigurationTests {
    @Test func readsNoStunAndStunOnly() {
        #expect(loadOptions("no-stun").0.noStun)
        #expect(loadOptions("stun-only").0.stunOnly)
        #expect(!loadOptions("").0.noStun && !loadOptions("").0.stunOnly)
    }

    @Test func refusesBothTogether() throws {
        let (_, diagnostics) = loadOptions("no-stun\nfingerprint\nstun-only")
        let error = try onlyDiagnostic(in: diagnostics, severity: .error, line: 3, key: nil)
        #expect(error.message == "no-stun and stun-only together answer nothing")
    }

    @Test func readsPrometheusPathAndRefusesWhatIsNoPath() throws {
        #expect(loadOptions("").0.prometheusPath == "/metrics")
        #expect(loadOptions("prometheus-path=/turn/metrics").0.prometheusPath == "/turn/metrics")
        for bad in ["metrics", "/a b", "/m?x=1"] {
            let (_, diagnostics) = loadOptions("prometheus-path=\(bad)")
            try onlyDiagnostic(in: diagnostics, severity: .error, line: 1, key: "prometheus-path")
        }
    }

    @Test func rfc5780WithTwoAddressesOfAFamilyIsQuiet() {
        let (configuration, diagnostics) = loadOptions("rfc5780\nlistening-ip=127.0.0.1\nlistening-ip=127.0.0.2")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(configuration.rfc5780)
    }

    @Test(arguments: ["rfc5780\nlistening-ip=127.0.0.1\nlistening-ip=::1", "rfc5780", "rfc5780\nno-udp\nlistening-ip=127.0.0.1\nlistening-ip=127.0.0.2"])
    func rfc5780ThatCannotWorkWarns(text: String) throws {
        let (_, diagnostics) = loadOptions(text)
        try onlyDiagnostic(in: diagnostics, severity: .warning, line: 1, key: "rfc5780")
    }

    @Test func aStunOnlyNodeNeedsNoCredentials() {
        let (_, diagnostics) = loadFile("stun-only")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
    }
}

/// coturn 4.17's names for the challenge limiter.
struct UnauthorizedRatelimitTests {
    @Test(arguments: [
        ("", 20), ("unauthorized-ratelimit", 10), ("unauthorized-ratelimit\nunauthorized-ratelimit-rps=3", 3),
        ("unauthorized-ratelimit-rps=7", 7), ("unauthorized-ratelimit-rps", 10), ("unauthorized-ratelimit\nchallenge-rate=5", 5),
    ])
    func setsTheChallengeRate(text: String, rate: Int) {
        let (configuration, diagnostics) = loadOptions(text)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(configuration.challengeRate == rate)
    }

    @Test func offIsAWarningAndChangesNothing() throws {
        let (configuration, diagnostics) = loadOptions("unauthorized-ratelimit=off")
        let warning = try onlyDiagnostic(in: diagnostics, severity: .warning, line: 1, key: "unauthorized-ratelimit")
        #expect(warning.message.contains("always limits"))
        #expect(configuration.challengeRate == 20)
    }
}
