import Foundation
import STUNWire
import Testing
import TURNAuth

struct LongTermAuthenticatorTests {
    private let realm = AuthFixture.realm
    private let client = AuthFixture.client
    private let start = AuthFixture.start
    private var aliceMD5: [UInt8] { LongTermKey.md5(username: "alice", realm: self.realm, password: "wonderland") }
    private var aliceSHA256: [UInt8] { LongTermKey.sha256(username: "alice", realm: self.realm, password: "wonderland") }

    @Test func challengesARequestWithoutIntegrity() throws {
        let authenticator = AuthFixture.authenticator()
        let request = AuthFixture.unsignedRequest()
        let rejection = try #require(authenticator.authenticate(request, client: self.client, now: self.start).rejection)
        #expect(rejection.code == .unauthorized)
        #expect(rejection.reason == .missingIntegrity)

        let response = try STUNMessage(parsing: rejection.errorResponse(to: request).serialize())
        #expect(response.type == STUNMessageType(method: .allocate, messageClass: .errorResponse))
        #expect(response.transactionID == request.transactionID)
        #expect(try response.attribute(ErrorCodeAttribute.self)?.code == .unauthorized)
        #expect(try response.attribute(Realm.self)?.text == self.realm)
        #expect(try response.attribute(PasswordAlgorithms.self)?.algorithms == [.sha256, .md5])
        let nonce = try #require(try response.attribute(Nonce.self))
        #expect(nonce.text.hasPrefix("obMatJos2AAAB"))
        #expect(authenticator.issuer.validate(nonce.text, client: self.client, now: self.start) == .valid)
        #expect(response.attribute(.messageIntegrity) == nil)
    }

    @Test func acceptsTheRetrySignedWithTheMD5Key() throws {
        let authenticator = AuthFixture.authenticator()
        let nonce = try AuthFixture.challengeNonce(authenticator)
        let retry = try AuthFixture.signedRequest(username: "alice", nonce: nonce, key: self.aliceMD5)
        let later = self.start.addingTimeInterval(1)
        let user = try #require(authenticator.authenticate(retry, client: self.client, now: later).authenticatedUser)
        #expect(user.username == "alice")
        #expect(user.user == "alice")
        #expect(user.key == self.aliceMD5)
        #expect(user.algorithm == .sha1)
        #expect(user.passwordAlgorithm == .md5)
    }

    /// A client that chose SHA-256 (RFC 8489 Section 9.2.4) with either MAC; the response is
    /// signed the way the request was.
    @Test(arguments: [STUNIntegrityAlgorithm.sha256, .sha1])
    func acceptsTheSHA256PasswordAlgorithm(mac: STUNIntegrityAlgorithm) throws {
        let authenticator = AuthFixture.authenticator()
        let nonce = try AuthFixture.challengeNonce(authenticator)
        let retry = try AuthFixture.signedRequest(
            username: "alice",
            nonce: nonce,
            passwordAlgorithm: .sha256,
            passwordAlgorithms: [.sha256, .md5],
            key: self.aliceSHA256,
            mac: mac
        )
        let user = try #require(authenticator.authenticate(retry, client: self.client, now: self.start).authenticatedUser)
        #expect(user.algorithm == mac)
        #expect(user.passwordAlgorithm == .sha256)
        #expect(user.key == self.aliceSHA256)

        let success = STUNMessage(type: retry.type.successResponse, transactionID: retry.transactionID)
        let signed = try STUNMessage(parsing: success.serialize(integrity: user.integrity, fingerprint: true))
        #expect(signed.integrityAlgorithm == mac)
        switch mac {
        case .sha1: #expect(signed.hasValidMessageIntegrity(key: self.aliceSHA256))
        case .sha256: #expect(signed.hasValidMessageIntegritySHA256(key: self.aliceSHA256))
        }
    }

    @Test func acceptsTheMD5ChoiceMadeExplicitly() throws {
        let authenticator = AuthFixture.authenticator()
        let nonce = try AuthFixture.challengeNonce(authenticator)
        let retry = try AuthFixture.signedRequest(
            username: "alice",
            nonce: nonce,
            passwordAlgorithm: .md5,
            passwordAlgorithms: [.sha256, .md5],
            key: self.aliceMD5,
            mac: .sha256
        )
        let user = try #require(authenticator.authenticate(retry, client: self.client, now: self.start).authenticatedUser)
        #expect(user.passwordAlgorithm == .md5)
        #expect(user.algorithm == .sha256)
    }

    @Test func rejectsAWrongPasswordWithAFreshChallenge() throws {
        let authenticator = AuthFixture.authenticator()
        let nonce = try AuthFixture.challengeNonce(authenticator)
        let wrongKey = LongTermKey.md5(username: "alice", realm: self.realm, password: "looking-glass")
        let retry = try AuthFixture.signedRequest(username: "alice", nonce: nonce, key: wrongKey)
        let rejection = try #require(authenticator.authenticate(retry, client: self.client, now: self.start).rejection)
        #expect(rejection.code == .unauthorized)
        #expect(rejection.reason == .badMAC)
        #expect(rejection.attributes.map(\.type) == [.realm, .nonce, .passwordAlgorithms])
    }

    @Test func rejectsAKeyDerivedForAnotherRealm() throws {
        let authenticator = AuthFixture.authenticator()
        let nonce = try AuthFixture.challengeNonce(authenticator)
        let key = LongTermKey.md5(username: "alice", realm: "example.net", password: "wonderland")
        let retry = try AuthFixture.signedRequest(username: "alice", realm: "example.net", nonce: nonce, key: key)
        let rejection = try #require(authenticator.authenticate(retry, client: self.client, now: self.start).rejection)
        #expect(rejection.reason == .badMAC)
    }

    @Test func rejectsAnUnknownUser() throws {
        let authenticator = AuthFixture.authenticator()
        let nonce = try AuthFixture.challengeNonce(authenticator)
        let key = LongTermKey.md5(username: "mallory", realm: self.realm, password: "wonderland")
        let retry = try AuthFixture.signedRequest(username: "mallory", nonce: nonce, key: key)
        let rejection = try #require(authenticator.authenticate(retry, client: self.client, now: self.start).rejection)
        #expect(rejection.code == .unauthorized)
        #expect(rejection.reason == .unknownUser)
        #expect(rejection.attributes.map(\.type) == [.realm, .nonce, .passwordAlgorithms])
    }

    @Test func rejectsAnExpiredRESTCredential() throws {
        let authenticator = AuthFixture.authenticator(store: CredentialStore(restSecrets: [CredentialSecret("s3cret")]))
        let credential = RESTCredential(user: "alice", expiry: self.start.addingTimeInterval(-1), secret: "s3cret")
        let nonce = try AuthFixture.challengeNonce(authenticator)
        let key = LongTermKey.md5(username: credential.username, realm: self.realm, password: credential.password)
        let retry = try AuthFixture.signedRequest(username: credential.username, nonce: nonce, key: key)
        let rejection = try #require(authenticator.authenticate(retry, client: self.client, now: self.start).rejection)
        #expect(rejection.code == .unauthorized)
        #expect(rejection.reason == .expired)
        #expect(rejection.attributes.map(\.type) == [.realm, .nonce, .passwordAlgorithms])
    }

    /// Secret rotation: the credential was minted under the second of two configured secrets.
    @Test(arguments: [(PasswordAlgorithm.md5, STUNIntegrityAlgorithm.sha1), (.sha256, .sha256)])
    func acceptsARESTCredentialUnderTheSecondSecret(algorithm: PasswordAlgorithm, mac: STUNIntegrityAlgorithm) throws {
        let store = CredentialStore(restSecrets: [CredentialSecret("retired"), CredentialSecret("current")])
        let authenticator = AuthFixture.authenticator(store: store)
        let credential = RESTCredential(user: "alice", expiry: self.start.addingTimeInterval(3600), secret: "current")
        let nonce = try AuthFixture.challengeNonce(authenticator)
        let key = try #require(
            LongTermKey.key(for: algorithm, username: credential.username, realm: self.realm, password: credential.password)
        )
        let sha256Chosen = algorithm == .sha256
        let retry = try AuthFixture.signedRequest(
            username: credential.username,
            nonce: nonce,
            passwordAlgorithm: sha256Chosen ? algorithm : nil,
            passwordAlgorithms: sha256Chosen ? [.sha256, .md5] : nil,
            key: key,
            mac: mac
        )
        let user = try #require(authenticator.authenticate(retry, client: self.client, now: self.start).authenticatedUser)
        #expect(user.username == credential.username)
        #expect(user.user == "alice")
        #expect(user.key == key)
    }

    @Test func answersAStaleNonceWith438ThenAcceptsTheNewOne() throws {
        let authenticator = AuthFixture.authenticator()
        let nonce = try AuthFixture.challengeNonce(authenticator)
        let stale = try AuthFixture.signedRequest(username: "alice", nonce: nonce, key: self.aliceMD5)
        let later = self.start.addingTimeInterval(NonceIssuer.defaultLifetime + 1)

        let rejection = try #require(authenticator.authenticate(stale, client: self.client, now: later).rejection)
        #expect(rejection.code == .staleNonce)
        #expect(rejection.reason == .staleNonce)
        let response = rejection.errorResponse(to: stale)
        #expect(try response.attribute(Realm.self)?.text == self.realm)
        #expect(try response.attribute(PasswordAlgorithms.self)?.algorithms == [.sha256, .md5])
        let fresh = try #require(try response.attribute(Nonce.self)).text
        #expect(fresh != nonce)

        let retry = try AuthFixture.signedRequest(username: "alice", nonce: fresh, key: self.aliceMD5)
        let user = try #require(authenticator.authenticate(retry, client: self.client, now: later).authenticatedUser)
        #expect(user.username == "alice")
    }

    @Test func answersANonceFromAnotherAddressWith438() throws {
        let authenticator = AuthFixture.authenticator()
        let nonce = try AuthFixture.challengeNonce(authenticator, client: AuthFixture.otherClient)
        let request = try AuthFixture.signedRequest(username: "alice", nonce: nonce, key: self.aliceMD5)
        let rejection = try #require(authenticator.authenticate(request, client: self.client, now: self.start).rejection)
        #expect(rejection.code == .staleNonce)
    }

    @Test func answersAForgedNonceWith438() throws {
        let authenticator = AuthFixture.authenticator()
        let forged = "obMatJos2AAAB" + String(repeating: "A", count: 32)
        let request = try AuthFixture.signedRequest(username: "alice", nonce: forged, key: self.aliceMD5)
        let rejection = try #require(authenticator.authenticate(request, client: self.client, now: self.start).rejection)
        #expect(rejection.code == .staleNonce)
    }

    enum MissingAttribute: CaseIterable {
        case username, realm, nonce
    }

    @Test(arguments: MissingAttribute.allCases)
    func rejectsASignedRequestMissingAnAttributeWith400(missing: MissingAttribute) throws {
        let authenticator = AuthFixture.authenticator()
        let nonce = try AuthFixture.challengeNonce(authenticator)
        let request = try AuthFixture.signedRequest(
            username: missing == .username ? nil : "alice",
            realm: missing == .realm ? nil : self.realm,
            nonce: missing == .nonce ? nil : nonce,
            key: self.aliceMD5
        )
        let rejection = try #require(authenticator.authenticate(request, client: self.client, now: self.start).rejection)
        #expect(rejection.code == .badRequest)
        #expect(rejection.reason == .badRequest)
        #expect(rejection.attributes.isEmpty)
    }

    @Test func rejectsAMalformedUsernameWith400() throws {
        let authenticator = AuthFixture.authenticator()
        let nonce = try AuthFixture.challengeNonce(authenticator)
        let request = try AuthFixture.signedRequest(
            realm: self.realm,
            nonce: nonce,
            extra: [STUNAttribute(type: .username, value: [0xFF, 0xFE])],
            key: self.aliceMD5
        )
        let rejection = try #require(authenticator.authenticate(request, client: self.client, now: self.start).rejection)
        #expect(rejection.code == .badRequest)
    }

    /// RFC 8489 Section 9.2.4: both absent means MD5; otherwise both present, the list as
    /// offered (no bid-down) and the choice in it.
    @Test(arguments: [
        (PasswordAlgorithm.sha256 as PasswordAlgorithm?, nil as [PasswordAlgorithm]?),
        (nil, [.sha256, .md5]),
        (.sha256, [.md5, .sha256]),
        (.sha256, [.sha256]),
        (.md5, [.md5]),
        (PasswordAlgorithm(number: 0x0003), [.sha256, .md5]),
        (PasswordAlgorithm(number: 0x0002, parameters: [1, 2, 3, 4]), [.sha256, .md5]),
    ])
    func rejectsPasswordAlgorithmsThatDoNotMatchTheOffer(
        chosen: PasswordAlgorithm?,
        list: [PasswordAlgorithm]?
    ) throws {
        let authenticator = AuthFixture.authenticator()
        let nonce = try AuthFixture.challengeNonce(authenticator)
        let request = try AuthFixture.signedRequest(
            username: "alice",
            nonce: nonce,
            passwordAlgorithm: chosen,
            passwordAlgorithms: list,
            key: self.aliceSHA256,
            mac: .sha256
        )
        let rejection = try #require(authenticator.authenticate(request, client: self.client, now: self.start).rejection)
        #expect(rejection.code == .badRequest)
        #expect(rejection.reason == .badRequest)
    }

    @Test func authenticatesAUserWithAStoredMD5Key() throws {
        let key = LongTermKey.md5(username: "bob", realm: self.realm, password: "builder")
        let hex = key.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let store = CredentialStore(users: [try UserEntry(parsing: "bob:0x" + hex)])
        let authenticator = AuthFixture.authenticator(store: store)
        let nonce = try AuthFixture.challengeNonce(authenticator)
        let request = try AuthFixture.signedRequest(username: "bob", nonce: nonce, key: key)
        let user = try #require(authenticator.authenticate(request, client: self.client, now: self.start).authenticatedUser)
        #expect(user.username == "bob")
        #expect(user.key == key)

        let sha256Key = LongTermKey.sha256(username: "bob", realm: self.realm, password: "builder")
        let sha256Request = try AuthFixture.signedRequest(
            username: "bob",
            nonce: nonce,
            passwordAlgorithm: .sha256,
            passwordAlgorithms: [.sha256, .md5],
            key: sha256Key,
            mac: .sha256
        )
        let rejection = try #require(authenticator.authenticate(sha256Request, client: self.client, now: self.start).rejection)
        #expect(rejection.reason == .badMAC)
    }

    /// RFC 8489 Section 9.2.4: USERHASH names a static user without sending the name.
    @Test func authenticatesAStaticUserByUserHash() throws {
        let authenticator = AuthFixture.authenticator()
        let nonce = try AuthFixture.challengeNonce(authenticator)
        let request = try AuthFixture.signedRequest(
            userHash: LongTermKey.userHash(username: "alice", realm: self.realm),
            nonce: nonce,
            passwordAlgorithm: .sha256,
            passwordAlgorithms: [.sha256, .md5],
            key: self.aliceSHA256,
            mac: .sha256
        )
        let user = try #require(authenticator.authenticate(request, client: self.client, now: self.start).authenticatedUser)
        #expect(user.username == "alice")
        #expect(user.user == "alice")
    }

    @Test func cannotFindARESTUserByUserHash() throws {
        let store = CredentialStore(users: [AuthFixture.alice], restSecrets: [CredentialSecret("s3cret")])
        let authenticator = AuthFixture.authenticator(store: store)
        let credential = RESTCredential(user: "carol", expiry: self.start.addingTimeInterval(3600), secret: "s3cret")
        let nonce = try AuthFixture.challengeNonce(authenticator)
        let key = LongTermKey.md5(username: credential.username, realm: self.realm, password: credential.password)
        let request = try AuthFixture.signedRequest(
            userHash: LongTermKey.userHash(username: credential.username, realm: self.realm),
            nonce: nonce,
            key: key
        )
        let rejection = try #require(authenticator.authenticate(request, client: self.client, now: self.start).rejection)
        #expect(rejection.code == .unauthorized)
        #expect(rejection.reason == .unknownUser)
    }

    @Test func offersMD5AloneWithoutAdvertisingPasswordAlgorithms() throws {
        let authenticator = AuthFixture.authenticator(passwordAlgorithms: [.md5])
        #expect(!authenticator.advertisesPasswordAlgorithms)
        let rejection = try #require(
            authenticator.authenticate(AuthFixture.unsignedRequest(), client: self.client, now: self.start).rejection
        )
        #expect(rejection.attributes.map(\.type) == [.realm, .nonce])
        let nonce = try AuthFixture.challengeNonce(authenticator)
        #expect(nonce.hasPrefix("obMatJos2AAAA"))
        let request = try AuthFixture.signedRequest(username: "alice", nonce: nonce, key: self.aliceMD5)
        #expect(authenticator.authenticate(request, client: self.client, now: self.start).authenticatedUser != nil)
    }

    @Test(arguments: [
        (AuthFailureReason.missingIntegrity, "missing_integrity"),
        (.badRequest, "bad_request"),
        (.staleNonce, "stale_nonce"),
        (.unknownUser, "unknown_user"),
        (.badMAC, "bad_mac"),
        (.expired, "expired"),
    ])
    func labelsReasonsForMetrics(reason: AuthFailureReason, label: String) {
        #expect(reason.rawValue == label)
    }

    @Test func describesTheUserWithoutTheKey() throws {
        let user = AuthenticatedUser(username: "alice", grant: CredentialGrant(user: "alice"), key: [0xAB, 0xCD], algorithm: .sha1, passwordAlgorithm: .md5)
        for text in [String(describing: user), String(reflecting: user)] {
            #expect(!text.contains("171"))
            #expect(text.contains("redacted"))
        }
    }
}
