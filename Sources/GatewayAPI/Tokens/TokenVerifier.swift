import Foundation

/// Verifies bearer tokens: the signature with a key bound to the token's `alg`, then the claims.
///
/// Keys are chosen by `alg` first, so a header cannot make a key serve another algorithm.
/// With a `kid`, only keys of that id (and keys without an id: configured secrets and PEM
/// files) are tried. With a JWKS URL, the document is fetched again (within its cool-down)
/// before a token is refused when its `kid` is unknown, or when it has no `kid` and no key
/// verifies it (the issuer may have rotated an id-less key). Without a JWKS URL, an algorithm
/// no key has is `unsupported_algorithm` whatever the `kid`.
final class TokenVerifier: Sendable {
    private let localKeys: [VerificationKey]
    /// The JWKS URL's key set, if one is configured.
    let remote: RemoteKeySet?
    private let policy: ClaimPolicy

    init(localKeys: [VerificationKey], remote: RemoteKeySet?, policy: ClaimPolicy) {
        self.localKeys = localKeys
        self.remote = remote
        self.policy = policy
    }

    /// Checks the `Authorization` header's value at `now`.
    func verify(authorization: String?, now: Date) async throws(TokenRejection) -> VerifiedToken {
        let token = try Self.bearerToken(authorization)
        let jws = try CompactJWS(parsing: token)
        guard VerificationKey.supportedAlgorithms.contains(jws.algorithm) else { throw .unsupportedAlgorithm }
        var keys = self.allKeys
        var refetched = false
        if let remote = self.remote {
            let unknownID = jws.keyID.map { keyID in !keys.contains { $0.keyID == keyID } } ?? false
            let noCandidate = jws.keyID == nil && Self.candidates(keys, for: jws).isEmpty
            if unknownID || noCandidate, await remote.refresh(now: now) {
                keys = self.allKeys
                refetched = true
            }
        }
        var candidates = Self.candidates(keys, for: jws)
        guard !candidates.isEmpty else {
            let algorithmKnown = keys.contains { $0.algorithmName == jws.algorithm }
            if !algorithmKnown, self.remote == nil || jws.keyID == nil { throw .unsupportedAlgorithm }
            throw .unknownKey
        }
        if !candidates.contains(where: { $0.verifies(jws.signature, signs: jws.signingInput) }) {
            guard jws.keyID == nil, !refetched, let remote = self.remote, await remote.refresh(now: now) else {
                throw .badSignature
            }
            candidates = Self.candidates(self.allKeys, for: jws)
            guard candidates.contains(where: { $0.verifies(jws.signature, signs: jws.signingInput) }) else {
                throw .badSignature
            }
        }
        return try self.policy.check(jws.claims, now: now)
    }

    private var allKeys: [VerificationKey] { self.localKeys + (self.remote?.keys ?? []) }

    /// The keys of the token's algorithm that its `kid` (or its lack of one) allows.
    private static func candidates(_ keys: [VerificationKey], for jws: CompactJWS) -> [VerificationKey] {
        keys.filter { $0.algorithmName == jws.algorithm && (jws.keyID == nil || $0.keyID == nil || $0.keyID == jws.keyID) }
    }

    /// The token of `Bearer <token>`; the scheme is case-insensitive (RFC 7235 Section 2.1).
    static func bearerToken(_ authorization: String?) throws(TokenRejection) -> String {
        guard let authorization else { throw .missingToken }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw .missingToken }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty else { throw .missingToken }
        return token
    }
}
