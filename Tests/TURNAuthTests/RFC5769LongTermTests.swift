import STUNWire
import Testing
import TURNAuth

/// RFC 5769 Section 2.4, "Sample Request with Long-Term Authentication".
struct RFC5769LongTermTests {
    /// The user name "マトリックス"; the password "TheMatrIX" is already OpaqueString-prepared.
    static let username = "\u{30DE}\u{30C8}\u{30EA}\u{30C3}\u{30AF}\u{30B9}"

    static let request: [UInt8] = [
        0x00, 0x01, 0x00, 0x60, 0x21, 0x12, 0xa4, 0x42, 0x78, 0xad, 0x34, 0x33,
        0xc6, 0xad, 0x72, 0xc0, 0x29, 0xda, 0x41, 0x2e, 0x00, 0x06, 0x00, 0x12,
        0xe3, 0x83, 0x9e, 0xe3, 0x83, 0x88, 0xe3, 0x83, 0xaa, 0xe3, 0x83, 0x83,
        0xe3, 0x82, 0xaf, 0xe3, 0x82, 0xb9, 0x00, 0x00, 0x00, 0x15, 0x00, 0x1c,
        0x66, 0x2f, 0x2f, 0x34, 0x39, 0x39, 0x6b, 0x39, 0x35, 0x34, 0x64, 0x36,
        0x4f, 0x4c, 0x33, 0x34, 0x6f, 0x4c, 0x39, 0x46, 0x53, 0x54, 0x76, 0x79,
        0x36, 0x34, 0x73, 0x41, 0x00, 0x14, 0x00, 0x0b, 0x65, 0x78, 0x61, 0x6d,
        0x70, 0x6c, 0x65, 0x2e, 0x6f, 0x72, 0x67, 0x00, 0x00, 0x08, 0x00, 0x14,
        0xf6, 0x70, 0x24, 0x65, 0x6d, 0xd6, 0x4a, 0x3e, 0x02, 0xb8, 0xe0, 0x71,
        0x2e, 0x85, 0xc9, 0xa2, 0x8c, 0xa8, 0x96, 0x66,
    ]

    /// The store's key for the vector's user, as a password and as coturn's stored `0x` key
    /// (`MD5("マトリックス:example.org:TheMatrIX")`, computed independently).
    @Test(arguments: ["TheMatrIX", "0xe8ca7ad59d5eb0518e312911d2dab2a9"])
    func storeKeyVerifiesTheVectorsIntegrity(secret: String) throws {
        let message = try STUNMessage(parsing: Self.request)
        #expect(try message.attribute(Username.self)?.text == Self.username)
        #expect(try message.attribute(Realm.self)?.text == "example.org")
        let store = CredentialStore(users: [try UserEntry(parsing: Self.username + ":" + secret)])
        let lookup = store.candidateKeys(username: Self.username, realm: "example.org", algorithm: .md5, now: AuthFixture.start)
        guard case .keys(let keys, let user) = lookup else {
            Issue.record("the vector's user is unknown to the store: \(lookup)")
            return
        }
        #expect(user == Self.username)
        #expect(keys.count == 1)
        #expect(keys.allSatisfy { message.hasValidMessageIntegrity(key: $0) })
    }

    /// Its NONCE is not one this server issued, so the request earns 438 and a fresh nonce.
    @Test func foreignNonceIsStale() throws {
        let message = try STUNMessage(parsing: Self.request)
        let store = CredentialStore(users: [UserEntry(name: Self.username, credential: .password(CredentialSecret("TheMatrIX")))])
        let authenticator = LongTermAuthenticator(realm: "example.org", store: store, issuer: AuthFixture.issuer())
        let rejection = try #require(authenticator.authenticate(message, client: AuthFixture.client, now: AuthFixture.start).rejection)
        #expect(rejection.code == .staleNonce)
        #expect(rejection.reason == .staleNonce)
    }
}
