import STUNWire
import Testing
import TURNAuth
import TURNTestSupport

/// RFC 5769 Section 2.4, "Sample Request with Long-Term Authentication".
///
/// The vector is ``RFC5769/sampleRequestLongTerm``, for the user ``RFC5769/longTermUsername``
/// ("マトリックス"); the password "TheMatrIX" is already OpaqueString-prepared.
struct RFC5769LongTermTests {
    /// The store's key for the vector's user, as a password and as coturn's stored `0x` key
    /// (`MD5("マトリックス:example.org:TheMatrIX")`, computed independently).
    @Test(arguments: ["TheMatrIX", "0xe8ca7ad59d5eb0518e312911d2dab2a9"])
    func storeKeyVerifiesTheVectorsIntegrity(secret: String) throws {
        let message = try STUNMessage(parsing: RFC5769.sampleRequestLongTerm)
        #expect(try message.attribute(Username.self)?.text == RFC5769.longTermUsername)
        #expect(try message.attribute(Realm.self)?.text == "example.org")
        let store = CredentialStore(users: [try UserEntry(parsing: RFC5769.longTermUsername + ":" + secret)])
        let lookup = store.candidateKeys(username: RFC5769.longTermUsername, realm: "example.org", algorithm: .md5)
        guard case .keys(let keys, let grant, _) = lookup else {
            Issue.record("the vector's user is unknown to the store: \(lookup)")
            return
        }
        #expect(grant.user == RFC5769.longTermUsername)
        #expect(keys.count == 1)
        #expect(keys.allSatisfy { message.hasValidMessageIntegrity(key: $0) })
    }

    /// Its NONCE is not one this server issued, so the request earns 438 and a fresh nonce.
    @Test func foreignNonceIsStale() throws {
        let message = try STUNMessage(parsing: RFC5769.sampleRequestLongTerm)
        let store = CredentialStore(users: [UserEntry(name: RFC5769.longTermUsername, credential: .password(CredentialSecret("TheMatrIX")))])
        let authenticator = LongTermAuthenticator(realm: "example.org", store: store, issuer: AuthFixture.issuer())
        let rejection = try #require(authenticator.authenticate(message, client: AuthFixture.client, now: AuthFixture.start).rejection)
        #expect(rejection.code == .staleNonce)
        #expect(rejection.reason == .staleNonce)
    }
}
