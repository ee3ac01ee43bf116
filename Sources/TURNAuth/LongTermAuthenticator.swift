public import Foundation
public import STUNWire

/// The server side of the long-term credential mechanism: decides whether a request is authentic.
///
/// RFC 8489 Section 9.2.4's checks, in RFC 5389 Section 10.2.2's order (the nonce before the
/// credentials), so that the cheap, stateless checks come before any key is derived; RFC 8489
/// checks the nonce last, which gives real clients the same outcomes at a higher cost per forged
/// request:
/// 1. no MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256: 401 with REALM, a fresh NONCE and
///    PASSWORD-ALGORITHMS (the challenge);
/// 2. a missing or malformed USERNAME (or USERHASH), REALM or NONCE: 400;
/// 3. when the NONCE's cookie advertises password algorithms: PASSWORD-ALGORITHM and
///    PASSWORD-ALGORITHMS must both be absent (MD5) or both present, the list exactly as
///    offered and the choice one of its entries; otherwise 400;
/// 4. a nonce that is stale, forged or issued to another address: 438 with a fresh challenge;
/// 5. an unknown user, a USERHASH that names no static user, or an expired REST credential:
///    401 with the challenge;
/// 6. no candidate key verifies the MAC (MESSAGE-INTEGRITY-SHA256 when present, else
///    MESSAGE-INTEGRITY): 401 with the challenge.
///
/// The key is derived with the server's realm. USERHASH finds static users only (their hashes
/// are computed once, here); a REST user name cannot be recovered from its hash. The nonce
/// cookie advertises "Password algorithms" when SHA-256 is offered and never "Username
/// anonymity", so that clients with REST credentials keep sending USERNAME.
public struct LongTermAuthenticator: Sendable {
    /// The realm (coturn's `realm`), sent in REALM and used in every key.
    public let realm: String
    /// The users.
    public let store: CredentialStore
    /// The nonce issuer.
    public let issuer: NonceIssuer
    /// The password algorithms offered in PASSWORD-ALGORITHMS, in order of preference.
    public let passwordAlgorithms: [PasswordAlgorithm]

    private let userHashes: [UserHash: String]

    /// Creates an authenticator.
    ///
    /// - Parameters:
    ///   - realm: the server's realm.
    ///   - store: the static and REST users.
    ///   - issuer: makes and checks nonces.
    ///   - passwordAlgorithms: the offer, in order of preference: MD5 and SHA-256 only, each at
    ///     most once. A request with neither PASSWORD-ALGORITHM nor PASSWORD-ALGORITHMS is
    ///     always processed with MD5 (RFC 8489 Section 9.2.4). With SHA-256 in the list, the
    ///     challenge carries PASSWORD-ALGORITHMS and the nonce cookie says so (Section 9.2.1).
    /// The same authenticator (realm, nonce issuer, password algorithms) with other users and
    /// secrets: what a reload or a cluster's shared store puts in force.
    package func replacingStore(_ store: CredentialStore) -> LongTermAuthenticator {
        LongTermAuthenticator(realm: self.realm, store: store, issuer: self.issuer, passwordAlgorithms: self.passwordAlgorithms)
    }

    public init(
        realm: String,
        store: CredentialStore,
        issuer: NonceIssuer,
        passwordAlgorithms: [PasswordAlgorithm] = [.sha256, .md5]
    ) {
        precondition(!passwordAlgorithms.isEmpty, "offer at least one password algorithm")
        precondition(
            passwordAlgorithms.allSatisfy { $0 == .md5 || $0 == .sha256 },
            "only MD5 and SHA-256 password algorithms are supported"
        )
        precondition(Set(passwordAlgorithms).count == passwordAlgorithms.count, "offer each password algorithm once")
        self.realm = realm
        self.store = store
        self.issuer = issuer
        self.passwordAlgorithms = passwordAlgorithms
        var userHashes: [UserHash: String] = [:]
        for username in store.staticUsernames {
            userHashes[LongTermKey.userHash(username: username, realm: realm)] = username
        }
        self.userHashes = userHashes
    }

    /// Whether challenges carry PASSWORD-ALGORITHMS and a nonce cookie with that feature bit.
    public var advertisesPasswordAlgorithms: Bool { self.passwordAlgorithms.contains(.sha256) }

    /// Applies the long-term credential mechanism to a parsed request.
    ///
    /// - Parameters:
    ///   - request: the request as parsed, with its original bytes (the MAC covers them).
    ///   - client: the transport address it came from; nonces are bound to it.
    ///   - now: the current time, from the caller's clock.
    ///   - enforceExpiry: whether a REST credential past its expiry is refused (401); the
    ///     caller decides per method (coturn's behaviour checks it on Allocate only). A
    ///     credential expiring exactly at `now` is still valid.
    /// - Returns: the authenticated user, or the error response to send.
    public func authenticate(
        _ request: STUNMessage,
        client: STUNTransportAddress,
        now: Date,
        enforceExpiry: Bool = true
    ) -> LongTermAuthOutcome {
        guard let macAlgorithm = request.integrityAlgorithm else {
            return self.challenge(.unauthorized, .missingIntegrity, request: request, client: client, now: now)
        }
        guard let fields = LongTermRequestFields.read(request),
            let passwordAlgorithm = self.passwordAlgorithm(for: fields)
        else { return .reject(AuthRejection(code: .badRequest, reason: .badRequest)) }
        guard self.issuer.validate(fields.nonce, client: client, now: now) == .valid else {
            return self.challenge(.staleNonce, .staleNonce, request: request, client: client, now: now)
        }
        let username: String
        switch fields.identity {
        case .username(let name):
            username = name
        case .userHash(let hash):
            guard let name = self.userHashes[hash] else {
                return self.challenge(.unauthorized, .unknownUser, request: request, client: client, now: now)
            }
            username = name
        }
        switch self.store.candidateKeys(username: username, realm: self.realm, algorithm: passwordAlgorithm) {
        case .unknown:
            return self.challenge(.unauthorized, .unknownUser, request: request, client: client, now: now)
        case .keys(_, _, let expiry?) where enforceExpiry && expiry < now:
            return self.challenge(.unauthorized, .expired, request: request, client: client, now: now)
        case .keys(let keys, let grant, let expiry):
            let verified = keys.first { key in
                switch macAlgorithm {
                case .sha1: request.hasValidMessageIntegrity(key: key)
                case .sha256: request.hasValidMessageIntegritySHA256(key: key)
                }
            }
            guard let key = verified else {
                return self.challenge(.unauthorized, .badMAC, request: request, client: client, now: now)
            }
            return .authenticated(
                AuthenticatedUser(
                    username: username,
                    grant: grant,
                    credentialExpiry: expiry,
                    key: key,
                    algorithm: macAlgorithm,
                    passwordAlgorithm: passwordAlgorithm
                )
            )
        }
    }

    /// The attributes of a 401 or 438: REALM, a fresh NONCE for `client`, and
    /// PASSWORD-ALGORITHMS when ``advertisesPasswordAlgorithms`` (RFC 8489 Section 9.2.4).
    ///
    /// - Parameters:
    ///   - client: the address the nonce is bound to.
    ///   - now: the nonce's issue time.
    ///   - transactionID: the transaction the attributes are encoded for.
    public func challengeAttributes(
        client: STUNTransportAddress,
        now: Date,
        transactionID: STUNTransactionID
    ) -> [STUNAttribute] {
        let features: STUNSecurityFeatures = self.advertisesPasswordAlgorithms ? .passwordAlgorithms : []
        var attributes = [
            STUNAttribute(Realm(self.realm), transactionID: transactionID),
            STUNAttribute(Nonce(self.issuer.nonce(for: client, now: now, features: features)), transactionID: transactionID),
        ]
        if self.advertisesPasswordAlgorithms {
            attributes.append(STUNAttribute(PasswordAlgorithms(self.passwordAlgorithms), transactionID: transactionID))
        }
        return attributes
    }

    /// The key's algorithm, or nil when the PASSWORD-ALGORITHM(S) checks of RFC 8489
    /// Section 9.2.4 fail.
    private func passwordAlgorithm(for fields: LongTermRequestFields) -> PasswordAlgorithm? {
        guard let features = NonceCookie.features(of: fields.nonce), features.contains(.passwordAlgorithms) else {
            return .md5
        }
        switch (fields.passwordAlgorithm, fields.passwordAlgorithms) {
        case (nil, nil):
            return .md5
        case (let chosen?, let offered?) where offered == self.passwordAlgorithms && offered.contains(chosen):
            return chosen
        default:
            return nil
        }
    }

    private func challenge(
        _ code: STUNErrorCode,
        _ reason: AuthFailureReason,
        request: STUNMessage,
        client: STUNTransportAddress,
        now: Date
    ) -> LongTermAuthOutcome {
        let attributes = self.challengeAttributes(client: client, now: now, transactionID: request.transactionID)
        return .reject(AuthRejection(code: code, reason: reason, attributes: attributes))
    }
}
