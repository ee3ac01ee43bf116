import Foundation
import STUNWire
import Testing
import TURNAuth
import TURNTestSupport

/// Shared values and a client's side of the long-term credential mechanism, for the tests.
enum AuthFixture {
    static let realm = "example.org"
    static let start = Date(timeIntervalSince1970: 1_700_000_000)
    /// 192.0.2.1:40000 (TEST-NET-1).
    static let client = STUNTransportAddress(address: .v4(0xC000_0201), port: 40000)
    /// 192.0.2.2:40000.
    static let otherClient = STUNTransportAddress(address: .v4(0xC000_0202), port: 40000)
    static let transactionID = STUNTransactionID(high: 0x0102_0304, low: 0x0506_0708_090A_0B0C)

    static func issuer(seed: UInt64 = 1) -> NonceIssuer {
        var generator = SplitMix64(seed: seed)
        return NonceIssuer(using: &generator)
    }

    static let alice = UserEntry(name: "alice", credential: .password(CredentialSecret("wonderland")))

    static func authenticator(
        store: CredentialStore = CredentialStore(users: [AuthFixture.alice]),
        passwordAlgorithms: [PasswordAlgorithm] = [.sha256, .md5]
    ) -> LongTermAuthenticator {
        LongTermAuthenticator(realm: Self.realm, store: store, issuer: Self.issuer(), passwordAlgorithms: passwordAlgorithms)
    }

    /// An Allocate request with no credentials: what a client sends first.
    static func unsignedRequest() -> STUNMessage {
        var request = STUNMessage(type: STUNMessageType(method: .allocate, messageClass: .request), transactionID: Self.transactionID)
        request.append(RequestedTransport(protocolNumber: 17))
        return request
    }

    /// An Allocate request carrying the given credential attributes, signed and parsed back.
    static func signedRequest(
        username: String? = nil,
        userHash: UserHash? = nil,
        realm: String? = AuthFixture.realm,
        nonce: String?,
        passwordAlgorithm: PasswordAlgorithm? = nil,
        passwordAlgorithms: [PasswordAlgorithm]? = nil,
        extra: [STUNAttribute] = [],
        key: [UInt8],
        mac: STUNIntegrityAlgorithm = .sha1
    ) throws -> STUNMessage {
        var request = Self.unsignedRequest()
        if let username { request.append(Username(username)) }
        if let userHash { request.append(userHash) }
        if let realm { request.append(Realm(realm)) }
        if let nonce { request.append(Nonce(nonce)) }
        if let passwordAlgorithm { request.append(passwordAlgorithm) }
        if let passwordAlgorithms { request.append(PasswordAlgorithms(passwordAlgorithms)) }
        request.attributes.append(contentsOf: extra)
        return try STUNMessage(parsing: request.serialize(integrity: (key, mac), fingerprint: true))
    }

    /// The NONCE of a fresh challenge to `client` at `now`.
    static func challengeNonce(
        _ authenticator: LongTermAuthenticator,
        client: STUNTransportAddress = AuthFixture.client,
        now: Date = AuthFixture.start
    ) throws -> String {
        let outcome = authenticator.authenticate(Self.unsignedRequest(), client: client, now: now)
        let rejection = try #require(outcome.rejection)
        let response = rejection.errorResponse(to: Self.unsignedRequest())
        return try #require(try response.attribute(Nonce.self)).text
    }
}

extension LongTermAuthOutcome {
    var authenticatedUser: AuthenticatedUser? {
        guard case .authenticated(let user) = self else { return nil }
        return user
    }

    var rejection: AuthRejection? {
        guard case .reject(let rejection) = self else { return nil }
        return rejection
    }
}
