import Foundation
import STUNWire
import Testing
import TURNAuth

struct CredentialStoreTests {
    private let now = AuthFixture.start
    private let realm = AuthFixture.realm

    @Test(arguments: [PasswordAlgorithm.md5, .sha256])
    func derivesAStaticUsersKey(algorithm: PasswordAlgorithm) {
        let store = CredentialStore(users: [AuthFixture.alice])
        let key = LongTermKey.key(for: algorithm, username: "alice", realm: self.realm, password: "wonderland")
        let expected = CredentialLookup.keys([key].compactMap { $0 }, grant: CredentialGrant(user: "alice"), expiry: nil)
        #expect(store.candidateKeys(username: "alice", realm: self.realm, algorithm: algorithm) == expected)
    }

    /// `printf 'alice:example.org:wonderland' | md5sum`.
    @Test func matchesAnIndependentMD5Key() {
        let store = CredentialStore(users: [AuthFixture.alice])
        let expected: [UInt8] = [
            0x72, 0xf8, 0x6f, 0x20, 0x53, 0x70, 0x3f, 0xaa, 0x0f, 0x52, 0x1c, 0xe7, 0x1c, 0xfe, 0x6f, 0x59,
        ]
        #expect(store.candidateKeys(username: "alice", realm: self.realm, algorithm: .md5) == .keys([expected], grant: CredentialGrant(user: "alice"), expiry: nil))
    }

    @Test func usesAStoredKeyWithMD5Only() throws {
        let store = CredentialStore(users: [try UserEntry(parsing: "bob:0x000102030405060708090a0b0c0d0e0f")])
        let key = Array(UInt8(0)...UInt8(15))
        #expect(store.candidateKeys(username: "bob", realm: self.realm, algorithm: .md5) == .keys([key], grant: CredentialGrant(user: "bob"), expiry: nil))
        #expect(store.candidateKeys(username: "bob", realm: self.realm, algorithm: .sha256) == .keys([], grant: CredentialGrant(user: "bob"), expiry: nil))
    }

    @Test(arguments: [PasswordAlgorithm.md5, .sha256])
    func derivesOneRESTKeyPerSecret(algorithm: PasswordAlgorithm) {
        let secrets = [CredentialSecret("old"), CredentialSecret("new")]
        let store = CredentialStore(restSecrets: secrets)
        let credential = RESTCredential(user: "alice", expiry: self.now.addingTimeInterval(3600), secret: "new")
        let keys = secrets.compactMap { secret in
            LongTermKey.key(
                for: algorithm,
                username: credential.username,
                realm: self.realm,
                password: RESTCredential.password(for: credential.username, secret: secret.text)
            )
        }
        let lookup = store.candidateKeys(username: credential.username, realm: self.realm, algorithm: algorithm)
        let expiry = Date(timeIntervalSince1970: self.now.addingTimeInterval(3600).timeIntervalSince1970.rounded(.down))
        #expect(lookup == .keys(keys, grant: CredentialGrant(user: "alice"), expiry: expiry))
    }

    @Test func honoursTheRESTSeparator() {
        let store = CredentialStore(restSecrets: [CredentialSecret("s")], restSeparator: "-")
        guard case .keys(let keys, let grant, _) = store.candidateKeys(username: "1700003600-room:alice", realm: self.realm, algorithm: .md5) else {
            Issue.record("a REST name with the configured separator was not recognised")
            return
        }
        #expect(keys.count == 1)
        #expect(grant.user == "room:alice")
    }

    @Test func countsATimestampOnlyNameAsItsOwnUser() {
        let store = CredentialStore(restSecrets: [CredentialSecret("s")])
        guard case .keys(_, let grant, _) = store.candidateKeys(username: "1700003600", realm: self.realm, algorithm: .md5) else {
            Issue.record("a timestamp-only REST name was not recognised")
            return
        }
        #expect(grant.user == "1700003600")
    }

    @Test(arguments: [-1.0, 0.0, 1.0])
    func reportsARESTCredentialsExpiry(offset: TimeInterval) {
        let store = CredentialStore(restSecrets: [CredentialSecret("s")])
        let timestamp = Int(self.now.timeIntervalSince1970 + offset)
        guard case .keys(_, _, let expiry) = store.candidateKeys(username: "\(timestamp):alice", realm: self.realm, algorithm: .md5) else {
            Issue.record("a REST name was not recognised")
            return
        }
        #expect(expiry == Date(timeIntervalSince1970: TimeInterval(timestamp)))
    }

    @Test func readsTheGrantsOfAMintedName() {
        let store = CredentialStore(restSecrets: [CredentialSecret("s")])
        let grant = CredentialGrant(user: "al;ice", room: "room 42", bandwidthKbps: 1000)
        let credential = RESTCredential(grant: grant, expiry: self.now.addingTimeInterval(60), secret: "s")
        guard case .keys(let keys, let read, _) = store.candidateKeys(username: credential.username, realm: self.realm, algorithm: .md5) else {
            Issue.record("a minted name was not recognised")
            return
        }
        #expect(keys.count == 1)
        #expect(read == grant)
    }

    @Test(arguments: ["1700003600:alice;bw=0", "1700003600:alice;bw=x", "1700003600:alice;bw=1;bw=2", "1700003600:alice;r=a;r=b"])
    func refusesMalformedGrants(username: String) {
        let store = CredentialStore(restSecrets: [CredentialSecret("s")])
        #expect(store.candidateKeys(username: username, realm: self.realm, algorithm: .md5) == .unknown)
    }

    @Test(arguments: ["mallory", "1700003600:alice", ""])
    func knowsNothingOfUnconfiguredNames(username: String) {
        let store = CredentialStore(users: [AuthFixture.alice])
        #expect(store.candidateKeys(username: username, realm: self.realm, algorithm: .md5) == .unknown)
    }

    @Test func prefersAStaticUserOverTheRESTReading() {
        let name = "1700003600:alice"
        let store = CredentialStore(
            users: [UserEntry(name: name, credential: .password(CredentialSecret("static")))],
            restSecrets: [CredentialSecret("s")]
        )
        let key = LongTermKey.md5(username: name, realm: self.realm, password: "static")
        #expect(store.candidateKeys(username: name, realm: self.realm, algorithm: .md5) == .keys([key], grant: CredentialGrant(user: name), expiry: nil))
    }

    @Test func servesStaticAndRESTUsersTogether() {
        let store = CredentialStore(users: [AuthFixture.alice], restSecrets: [CredentialSecret("s")])
        #expect(store.candidateKeys(username: "alice", realm: self.realm, algorithm: .md5) != .unknown)
        #expect(store.candidateKeys(username: "1700003600:bob", realm: self.realm, algorithm: .md5) != .unknown)
        #expect(store.staticUsernames == ["alice"])
    }

    @Test func describesItselfWithoutSecrets() {
        let store = CredentialStore(users: [AuthFixture.alice], restSecrets: [CredentialSecret("topsecret")])
        let lookup = store.candidateKeys(username: "alice", realm: self.realm, algorithm: .md5)
        for text in [String(describing: store), String(describing: lookup)] {
            #expect(!text.contains("topsecret"))
            #expect(!text.contains("wonderland"))
            #expect(!text.contains("114"))
        }
    }
}

/// User names and rooms with control characters: refused as unknown credentials, raw or
/// percent-encoded, because they could forge lines in a text log.
struct CredentialGrantControlCharacterTests {
    @Test(arguments: [
        "1700003600:alice%0AFORGED level=error", "1700003600:alice\nFORGED", "1700003600:alice%0D", "1700003600:al%00ice",
        "1700003600:alice;r=room%0A", "1700003600:alice;r=ro\u{7F}om", "1700003600:alice%C2%85", "1700003600:alice%E2%80%A8",
        "1700003600:alice;x=%0A\u{1B}",
    ])
    func refusesControlCharacters(username: String) {
        let store = CredentialStore(restSecrets: [CredentialSecret("s")])
        #expect(store.candidateKeys(username: username, realm: "example.org", algorithm: .md5) == .unknown)
    }

    @Test func acceptsPrintableNamesWithSpacesAndReservedCharacters() throws {
        let grant = try #require(CredentialGrant(decoding: "al%3Bice;r=room%2042%25"))
        #expect(grant == CredentialGrant(user: "al;ice", room: "room 42%"))
        #expect(!grant.hasControlCharacters)
        #expect(CredentialGrant(user: "bob", room: "a\tb").hasControlCharacters)
        #expect(CredentialGrant(user: "b\u{85}ob").hasControlCharacters)
    }
}
