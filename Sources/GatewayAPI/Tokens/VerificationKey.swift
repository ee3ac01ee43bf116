import JWTKit

/// One key bound to one algorithm: a token is checked only with keys whose algorithm is its
/// `alg`, so an HMAC token can never be verified with an RSA public key as the HMAC secret
/// (algorithm confusion) and `alg` cannot pick a key of another type.
struct VerificationKey: Sendable {
    /// The JWS algorithm name, e.g. `RS256`.
    var algorithmName: String
    /// The key's `kid`, when its source gave one.
    var keyID: String?
    /// jwt-kit's verifier for this key and algorithm.
    var algorithm: any JWTAlgorithm

    /// Whether `signature` signs `input` under this key.
    func verifies(_ signature: [UInt8], signs input: [UInt8]) -> Bool {
        (try? self.algorithm.verify(signature, signs: input)) ?? false
    }

    /// The JWS algorithms of an RSA key.
    static let rsaAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
    /// The JWS algorithms of an HMAC secret.
    static let hmacAlgorithms = ["HS256", "HS384", "HS512"]
    /// Every algorithm the gateway accepts.
    static let supportedAlgorithms: Set<String> = Set(rsaAlgorithms + hmacAlgorithms + ["ES256", "ES384", "EdDSA"])
}
