import Testing

@testable import TURNConfig

private let md5Key = "0xbc807ee29df3c9ffa736523fb2c4e8ee"

struct AuthenticationConfigurationTests {
    @Test
    func defaultsAreCoturns() {
        let configuration = TURNServerConfiguration()
        #expect(configuration.realm == nil)
        #expect(!configuration.longTermCredentials)
        #expect(configuration.users.isEmpty)
        #expect(configuration.userDB == nil)
        #expect(!configuration.restAPICredentials)
        #expect(configuration.staticAuthSecrets.isEmpty)
        #expect(configuration.restAPISeparator == ":")
        #expect(configuration.authenticationRequired)
        #expect(configuration.staleNonce == 600)
    }

    @Test
    func warnsAboutTheWholeConfigurationWhenNoOneCanAuthenticate() throws {
        let (configuration, diagnostics) = loadFile("realm=example.org")
        let diagnostic = try onlyDiagnostic(in: diagnostics, severity: .warning, line: nil, key: nil)
        #expect(diagnostic.concernsWholeConfiguration)
        #expect(diagnostic.description.hasPrefix("configuration: warning: no authentication is configured"))
        #expect(diagnostic.message.hasSuffix("every Allocate will be refused"))
        #expect(configuration.authenticationRequired)
    }

    @Test
    func strictModeMakesTheMissingAuthenticationAnError() {
        let (_, diagnostics) = loadFile("", strict: true)
        #expect(diagnostics.map(\.severity) == [.error])
        #expect(diagnostics.allSatisfy { $0.concernsWholeConfiguration })
    }

    @Test
    func appliesStaticUsersAndTheRealm() {
        let text = """
            realm=example.org
            lt-cred-mech
            user=alice:wonderland
            user=ninefingers:\(md5Key)
            user=carol:pass:with:colons
            user=dave:0X-is-not-a-key
            """
        let (configuration, diagnostics) = loadOptions(text, strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.realm == "example.org")
        #expect(configuration.longTermCredentials)
        #expect(
            configuration.users == ["alice:wonderland", "ninefingers:\(md5Key)", "carol:pass:with:colons", "dave:0X-is-not-a-key"])
        #expect(!configuration.restAPICredentials)
    }

    @Test(arguments: ["user=alice:pw", "userdb=/etc/turngate/users", "db=/etc/turngate/users", "user=alice:pw\nlt-cred-mech=yes"])
    func userAccountsTurnTheLongTermMechanismOnAsInCoturn(text: String) {
        let (configuration, diagnostics) = loadFile(text, strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.longTermCredentials)
    }

    @Test
    func readsTheUserFilePathUnderEitherName() {
        #expect(loadOptions("userdb=/etc/turngate/users").0.userDB == "/etc/turngate/users")
        #expect(loadOptions("db=/var/lib/turn/users").0.userDB == "/var/lib/turn/users")
    }

    @Test
    func acceptsEveryStaticAuthSecret() {
        let (configuration, diagnostics) = loadOptions("use-auth-secret\nstatic-auth-secret=first\nstatic-auth-secret=second", strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.restAPICredentials)
        #expect(configuration.staticAuthSecrets == ["first", "second"])
    }

    @Test
    func aStaticAuthSecretTurnsTheRESTAPIOnAsInCoturn() {
        let (configuration, diagnostics) = loadFile("static-auth-secret=north", strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.restAPICredentials)
    }

    @Test
    func acceptsBothMechanismsAtOnce() {
        let text = "lt-cred-mech\nuser=alice:wonderland\nuse-auth-secret\nstatic-auth-secret=north\nrest-api-separator=-"
        let (configuration, diagnostics) = loadFile(text, strict: true)
        #expect(diagnostics.isEmpty)
        #expect(configuration.longTermCredentials && configuration.restAPICredentials)
        #expect(configuration.restAPISeparator == "-")
    }

    @Test
    func refusesUseAuthSecretWithoutASecret() throws {
        let (configuration, diagnostics) = loadFile("realm=example.org\nuse-auth-secret")
        let diagnostic = try onlyDiagnostic(in: diagnostics, severity: .error, line: 2, key: "use-auth-secret")
        #expect(diagnostic.message == "use-auth-secret needs at least one static-auth-secret, or userdb or redis-userdb holding the secrets (turnadmin -s)")
        #expect(configuration.restAPICredentials)
    }

    /// coturn's layout with the secrets only in Redis, written by `turnadmin -s`.
    @Test
    func acceptsUseAuthSecretWithTheSecretsInRedis() {
        let (configuration, diagnostics) = loadFile(
            "realm=example.org\nuse-auth-secret\nredis-userdb=\"ip=127.0.0.1 dbname=0 port=6379\"\nlt-cred-mech")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(configuration.restAPICredentials && configuration.longTermCredentials)
    }

    @Test
    func relaysForAnyoneAfterNoAuth() {
        let (configuration, diagnostics) = loadFile("no-auth", strict: true)
        #expect(diagnostics.isEmpty)
        #expect(!configuration.authenticationRequired)
    }

    @Test(arguments: [
        ("no-auth\nfingerprint\nuser=alice:pw", 3, "user"),
        ("user=alice:pw\nno-auth", 2, "no-auth"),
        ("static-auth-secret=north\nno-auth\nlt-cred-mech=no", 2, "no-auth"),
        ("no-auth\nuse-auth-secret\nstatic-auth-secret=north", 3, "static-auth-secret"),
    ])
    func refusesNoAuthWithCredentialsOnTheLaterLine(text: String, line: Int, key: String) throws {
        let (_, diagnostics) = loadFile(text)
        let error = try #require(diagnostics.first { $0.severity == .error })
        #expect(diagnostics.filter { $0.severity == .error }.count == 1)
        #expect(error.line == line)
        #expect(error.key == key)
        #expect(error.message.hasPrefix("no-auth cannot be used with lt-cred-mech"))
    }

    @Test
    func warnsThatTheLongTermMechanismAloneAuthenticatesNoOne() throws {
        let (configuration, diagnostics) = loadFile("realm=example.org\nlt-cred-mech")
        try onlyDiagnostic(in: diagnostics, severity: .warning, line: 2, key: "lt-cred-mech")
        #expect(configuration.longTermCredentials)
    }

    @Test(arguments: [
        ("use-auth-secret=no\nstatic-auth-secret=north", "use-auth-secret"),
        ("lt-cred-mech=off\nuser=alice:pw", "lt-cred-mech"),
    ])
    func warnsThatTurningAnImpliedMechanismOffHasNoEffect(text: String, key: String) {
        let (configuration, diagnostics) = loadFile(text)
        #expect(diagnostics.map(\.line) == [1])
        #expect(diagnostics.map(\.key) == [key])
        #expect(diagnostics.allSatisfy { $0.severity == .warning && $0.message.contains("has no effect") })
        #expect(configuration.longTermCredentials || configuration.restAPICredentials)
    }

    @Test
    func warnsAboutAUserGivenTwiceAndKeepsBothEntries() throws {
        let (configuration, diagnostics) = loadOptions("user=alice:one\nuser=bob:two\nuser=alice:three")
        let diagnostic = try onlyDiagnostic(in: diagnostics, severity: .warning, line: 3, key: "user")
        #expect(diagnostic.message == "user 'alice' is also given on line 1: only the last one applies")
        #expect(configuration.users == ["alice:one", "bob:two", "alice:three"])
    }

    @Test(arguments: [
        ("", 600), ("stale-nonce", 600), ("stale-nonce=", 600), ("stale-nonce=0", 0), ("stale-nonce=1200", 1200),
        ("stale-nonce=30\nstale-nonce", 600),
    ])
    func readsTheNonceLifetime(text: String, seconds: Int) {
        #expect(loadOptions(text).0.staleNonce == seconds)
    }

    static let badValues: [BadValueVector] = [
        BadValueVector("user=alice", key: "user", "expected name:password or name:0x<32 hex digits>, and there is no ':'"),
        BadValueVector("user=:wonderland", key: "user", "the user name before ':' is empty"),
        BadValueVector("user=alice:", key: "user", "the password after ':' of user 'alice' is empty"),
        BadValueVector("user=alice:0x1234", key: "user", "must be 32 hex digits after 0x"),
        BadValueVector("user=alice:0x\(String(repeating: "a", count: 31))g", key: "user", "must be 32 hex digits after 0x"),
        BadValueVector("user=alice:0x\(String(repeating: "0", count: 34))", key: "user", "must be 32 hex digits after 0x"),
        BadValueVector("user", key: "user", "requires a value"),
        BadValueVector("realm", key: "realm", "requires a value"),
        BadValueVector("realm=", key: "realm", "requires a value"),
        BadValueVector("realm=\(String(repeating: "r", count: 128))", key: "realm", "the REALM text must be fewer than 128 characters"),
        BadValueVector("rest-api-separator=::", key: "rest-api-separator", "'::' is not a single character"),
        BadValueVector("rest-api-separator=7", key: "rest-api-separator", "cannot separate the expiry time"),
        BadValueVector("static-auth-secret", key: "static-auth-secret", "requires a value"),
        BadValueVector("userdb=", key: "userdb", "requires a value"),
        BadValueVector("db", key: "db", "requires a value"),
        BadValueVector("lt-cred-mech=maybe", key: "lt-cred-mech", "is a flag"),
        BadValueVector("use-auth-secret=2", key: "use-auth-secret", "is a flag"),
        BadValueVector("no-auth=nope", key: "no-auth", "is a flag"),
        BadValueVector("stale-nonce=ten", key: "stale-nonce", "'ten' is not a number of seconds: expected a whole number, 0 for no limit"),
        BadValueVector("stale-nonce=-1", key: "stale-nonce", "'-1' is not a number of seconds"),
    ]

    @Test(arguments: Self.badValues)
    func reportsBadValuesOnTheirLine(vector: BadValueVector) throws {
        try loadBadValue(vector)
    }

    @Test(arguments: [
        "user=alice:hunter2-secret # note", "user=hunter2-secret", "user=:hunter2-secret", "user=alice:0xhunter2-secret",
        "static-auth-secret=hunter2-secret # rotated;", "use-auth-secret=no\nstatic-auth-secret=hunter2-secret",
    ])
    func neverRepeatsAPasswordOrSecret(text: String) {
        let (_, diagnostics) = loadFile(text, strict: true)
        #expect(!diagnostics.isEmpty)
        #expect(diagnostics.allSatisfy { !$0.description.contains("hunter2") })
    }
}
