import Crypto
import CryptoExtras
import Foundation
import JWTKit

/// Keys generated once per test run, with signers for every algorithm the gateway accepts.
enum TestKeys {
    static let hmacSecret = "hmac-secret-for-tests-" + String(repeating: "0123456789", count: 5)
    static let rsa: JWTKit.Insecure.RSA.PrivateKey = Self.makeRSA()
    static let otherRSA: JWTKit.Insecure.RSA.PrivateKey = Self.makeRSA()
    static let p256 = ES256PrivateKey()
    static let p384 = ES384PrivateKey()
    static let ed25519: EdDSA.PrivateKey = Self.makeEd25519()

    private static func makeRSA() -> JWTKit.Insecure.RSA.PrivateKey {
        do {
            return try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
        } catch {
            fatalError("RSA key generation failed: \(error)")
        }
    }

    private static func makeEd25519() -> EdDSA.PrivateKey {
        EdDSA.PrivateKey(backing: Curve25519.Signing.PrivateKey())
    }

    /// Every supported algorithm name.
    static let algorithms = [
        "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA",
    ]

    /// A collection that signs with the key of `algorithm` under `kid`.
    static func signer(for algorithm: String, kid: String? = nil) async -> JWTKeyCollection {
        let keys = JWTKeyCollection()
        let id = kid.map { JWKIdentifier(string: $0) }
        let digest: DigestAlgorithm =
            switch algorithm.suffix(3) {
            case "384": .sha384
            case "512": .sha512
            default: .sha256
            }
        switch algorithm.prefix(2) {
        case "HS": await keys.add(hmac: HMACKey(from: Self.hmacSecret), digestAlgorithm: digest, kid: id)
        case "RS": await keys.add(rsa: Self.rsa, digestAlgorithm: digest, kid: id)
        case "PS": await keys.add(pss: Self.rsa, digestAlgorithm: digest, kid: id)
        case "ES" where digest == .sha384: await keys.add(ecdsa: Self.p384, kid: id)
        case "ES": await keys.add(ecdsa: Self.p256, kid: id)
        default: await keys.add(eddsa: Self.ed25519, kid: id)
        }
        return keys
    }

    /// A token of `claims` signed with the key of `algorithm`.
    static func token(_ claims: TestClaims, algorithm: String, kid: String? = nil) async throws -> String {
        try await Self.signer(for: algorithm, kid: kid).sign(claims, kid: kid.map { JWKIdentifier(string: $0) })
    }

    /// A token signed with HS256 under the test secret.
    static func hs256(_ claims: TestClaims) async throws -> String {
        try await Self.token(claims, algorithm: "HS256")
    }

    /// The PEM public keys, one per key type.
    static var rsaPEM: String { Self.rsa.publicKey.pemRepresentation }
    static var p256PEM: String { Self.p256.publicKey.pemRepresentation }
    static var p384PEM: String { Self.p384.publicKey.pemRepresentation }
    static var ed25519PEM: String { Self.ed25519.publicKey.pemRepresentation }

    /// A JWKS document of the public keys, each under the given `kid`.
    static func jwks(rsaKid: String?, p256Kid: String?, p384Kid: String?, ed25519Kid: String?) throws -> String {
        var keys: [[String: String]] = []
        if let rsaKid {
            let (modulus, exponent) = try Self.rsa.publicKey.getKeyPrimitives()
            keys.append(["kty": "RSA", "kid": rsaKid, "use": "sig", "n": base64URL(modulus), "e": base64URL(exponent)])
        }
        if let p256Kid, let parameters = Self.p256.publicKey.parameters {
            keys.append(["kty": "EC", "kid": p256Kid, "crv": "P-256", "x": parameters.x, "y": parameters.y])
        }
        if let p384Kid, let parameters = Self.p384.publicKey.parameters {
            keys.append(["kty": "EC", "kid": p384Kid, "crv": "P-384", "x": parameters.x, "y": parameters.y, "alg": "ES384"])
        }
        if let ed25519Kid {
            keys.append(["kty": "OKP", "kid": ed25519Kid, "crv": "Ed25519", "x": base64URL(Self.ed25519.publicKey.rawRepresentation)])
        }
        let data = try JSONSerialization.data(withJSONObject: ["keys": keys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Unpadded base64url of `bytes`.
    static func base64URL(_ bytes: some DataProtocol) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A token built by hand: `header` and `claims` as JSON, signed with HMAC-SHA256 under
    /// `hmacKey`, or with an empty signature when `hmacKey` is nil.
    static func handmade(header: String, claims: TestClaims, hmacKey: [UInt8]?) throws -> String {
        let payload = try JSONEncoder().encode(claims)
        let input = base64URL(Array(header.utf8)) + "." + base64URL(payload)
        guard let hmacKey else { return input + "." }
        let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: hmacKey))
        return input + "." + base64URL(Array(mac))
    }
}
