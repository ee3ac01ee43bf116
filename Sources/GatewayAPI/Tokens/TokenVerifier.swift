import Foundation

/// Verifies bearer tokens: the signature with a key bound to the token's `alg`, then the claims.
///
/// Keys are chosen by `alg` first, so a header cannot make a key serve another algorithm.
/// With a `kid`, only keys of that id (and keys without an id: configured secrets and PEM
/// files) are tried; a `kid` that no key has makes the JWKS URL be fetched again (within its
/// cool-down) before the token is refused as `unknown_key`.
final class TokenVerifier: Sendable {
    private let localKeys: [VerificationKey]
    private let remote: RemoteKeySet?
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
        if let keyID = jws.keyID, !keys.contains(where: { $0.keyID == keyID }), let remote = self.remote,
            await remote.refresh(now: now)
        {
            keys = self.allKeys
        }
        let sameAlgorithm = keys.filter { $0.algorithmName == jws.algorithm }
        let candidates = sameAlgorithm.filter { $0.keyID == nil || $0.keyID == jws.keyID }
        guard !candidates.isEmpty else {
            if let keyID = jws.keyID, !keys.contains(where: { $0.keyID == keyID }) { throw .unknownKey }
            throw sameAlgorithm.isEmpty ? .unsupportedAlgorithm : .unknownKey
        }
        guard candidates.contains(where: { $0.verifies(jws.signature, signs: jws.signingInput) }) else {
            throw .badSignature
        }
        return try self.policy.check(jws.claims, now: now)
    }

    private var allKeys: [VerificationKey] { self.localKeys + (self.remote?.keys ?? []) }

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
