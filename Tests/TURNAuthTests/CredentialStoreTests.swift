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
        let expected = CredentialLookup.keys([key].compactMap { $0 }, user: "alice")
        #expect(store.candidateKeys(username: "alice", realm: self.realm, algorithm: algorithm, now: self.now) == expected)
    }

    /// `printf 'alice:example.org:wonderland' | md5sum`.
    @Test func matchesAnIndependentMD5Key() {
        let store = CredentialStore(users: [AuthFixture.alice])
        let expected: [UInt8] = [
            0x72, 0xf8, 0x6f, 0x20, 0x53, 0x70, 0x3f, 0xaa, 0x0f, 0x52, 0x1c, 0xe7, 0x1c, 0xfe, 0x6f, 0x59,
        ]
        #expect(store.candidateKeys(username: "alice", realm: self.realm, algorithm: .md5, now: self.now) == .keys([expected], user: "alice"))
    }

    @Test func usesAStoredKeyWithMD5Only() throws {
        let store = CredentialStore(users: [try UserEntry(parsing: "bob:0x000102030405060708090a0b0c0d0e0f")])
        let key = Array(UInt8(0)...UInt8(15))
        #expect(store.candidateKeys(username: "bob", realm: self.realm, algorithm: .md5, now: self.now) == .keys([key], user: "bob"))
        #expect(store.candidateKeys(username: "bob", realm: self.realm, algorithm: .sha256, now: self.now) == .keys([], user: "bob"))
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
        let lookup = store.candidateKeys(username: credential.username, realm: self.realm, algorithm: algorithm, now: self.now)
        #expect(lookup == .keys(keys, user: "alice"))
    }

    @Test func honoursTheRESTSeparator() {
        let store = CredentialStore(restSecrets: [CredentialSecret("s")], restSeparator: "-")
        guard case .keys(let keys, let user) = store.candidateKeys(username: "1700003600-room:alice", realm: self.realm, algorithm: .md5, now: self.now) else {
            Issue.record("a REST name with the configured separator was not recognised")
            return
        }
        #expect(keys.count == 1)
        #expect(user == "room:alice")
    }

    @Test func countsATimestampOnlyNameAsItsOwnUser() {
        let store = CredentialStore(restSecrets: [CredentialSecret("s")])
        guard case .keys(_, let user) = store.candidateKeys(username: "1700003600", realm: self.realm, algorithm: .md5, now: self.now) else {
            Issue.record("a timestamp-only REST name was not recognised")
            return
        }
        #expect(user == "1700003600")
    }

    @Test(arguments: [
        (-1.0, false),
        (0.0, true),
        (1.0, true),
    ])
    func expiresRESTCredentialsAfterTheirTimestamp(offset: TimeInterval, accepted: Bool) {
        let store = CredentialStore(restSecrets: [CredentialSecret("s")])
        let username = "\(Int(self.now.timeIntervalSince1970 + offset)):alice"
        let lookup = store.candidateKeys(username: username, realm: self.realm, algorithm: .md5, now: self.now)
        #expect((lookup != .expired) == accepted)
        #expect(lookup != .unknown)
    }

    @Test(arguments: ["mallory", "1700003600:alice", ""])
    func knowsNothingOfUnconfiguredNames(username: String) {
        let store = CredentialStore(users: [AuthFixture.alice])
        #expect(store.candidateKeys(username: username, realm: self.realm, algorithm: .md5, now: self.now) == .unknown)
    }

    @Test func prefersAStaticUserOverTheRESTReading() {
        let name = "1700003600:alice"
        let store = CredentialStore(
            users: [UserEntry(name: name, credential: .password(CredentialSecret("static")))],
            restSecrets: [CredentialSecret("s")]
        )
        let key = LongTermKey.md5(username: name, realm: self.realm, password: "static")
        #expect(store.candidateKeys(username: name, realm: self.realm, algorithm: .md5, now: self.now) == .keys([key], user: name))
    }

    @Test func servesStaticAndRESTUsersTogether() {
        let store = CredentialStore(users: [AuthFixture.alice], restSecrets: [CredentialSecret("s")])
        #expect(store.candidateKeys(username: "alice", realm: self.realm, algorithm: .md5, now: self.now) != .unknown)
        #expect(store.candidateKeys(username: "1700003600:bob", realm: self.realm, algorithm: .md5, now: self.now) != .unknown)
        #expect(store.staticUsernames == ["alice"])
    }

    @Test func describesItselfWithoutSecrets() {
        let store = CredentialStore(users: [AuthFixture.alice], restSecrets: [CredentialSecret("topsecret")])
        let lookup = store.candidateKeys(username: "alice", realm: self.realm, algorithm: .md5, now: self.now)
        for text in [String(describing: store), String(describing: lookup)] {
            #expect(!text.contains("topsecret"))
            #expect(!text.contains("wonderland"))
            #expect(!text.contains("114"))
        }
    }
}
