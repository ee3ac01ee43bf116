import Foundation
import JWTKit
import TURNAuth

/// Builds ``VerificationKey``s from HMAC secrets, PEM public keys and JWKS documents.
///
/// Each key yields one entry per algorithm it may be used with: an HMAC secret HS256/384/512,
/// an RSA key RS*/PS* (or only its JWK `alg`), an EC key the ES algorithm of its curve, an
/// Ed25519 key EdDSA.
enum KeyLoader {
    /// The shortest HMAC secret accepted, in bytes: the SHA-256 output (RFC 7518 Section 3.2).
    static let minimumHMACSecretBytes = 32

    /// Keys for the HMAC secrets: HS256 for each, HS384 and HS512 only for secrets at least as
    /// long as those hashes' output (RFC 7518 Section 3.2; jwt-kit asserts it).
    static func hmacKeys(_ secrets: [CredentialSecret]) async -> [VerificationKey] {
        var keys: [VerificationKey] = []
        for secret in secrets {
            let key = HMACKey(from: Data(secret.bytes))
            let digests: [(DigestAlgorithm, Int)] = [(.sha256, 32), (.sha384, 48), (.sha512, 64)]
            for (digest, minimum) in digests where secret.bytes.count >= minimum {
                let algorithm = await Self.algorithm { await $0.add(hmac: key, digestAlgorithm: digest) }
                if let algorithm { keys.append(VerificationKey(algorithmName: algorithm.name, algorithm: algorithm)) }
            }
        }
        return keys
    }

    /// Keys for a PEM public key file's text.
    ///
    /// - Throws: ``GatewayConfigurationError`` when it is not an RSA, EC P-256/P-384 or Ed25519 public key.
    static func pemKeys(_ pem: String, path: String) async throws(GatewayConfigurationError) -> [VerificationKey] {
        if let key = try? Insecure.RSA.PublicKey(pem: pem) {
            return await Self.rsaKeys(key, names: VerificationKey.rsaAlgorithms, keyID: nil)
        }
        if let key = try? ES256PublicKey(pem: pem) {
            return await Self.keys(keyID: nil) { await $0.add(ecdsa: key) }
        }
        if let key = try? ES384PublicKey(pem: pem) {
            return await Self.keys(keyID: nil) { await $0.add(ecdsa: key) }
        }
        if let key = try? EdDSA.PublicKey(pem: pem) {
            return await Self.keys(keyID: nil) { await $0.add(eddsa: key) }
        }
        throw GatewayConfigurationError("\(path): not a PEM RSA, EC P-256/P-384 or Ed25519 public key")
    }

    /// Keys for a JWKS document; keys that are malformed, private-only, for encryption or of
    /// unsupported types are skipped and counted.
    ///
    /// - Throws: ``GatewayConfigurationError`` when the document is not a JSON object with a `keys`
    ///   array, or nests deeper than ``JSONDepth/maximumJWKSDepth``.
    static func jwksKeys(_ data: Data) async throws(GatewayConfigurationError) -> (keys: [VerificationKey], skipped: Int) {
        guard !JSONDepth.exceeds(data, limit: JSONDepth.maximumJWKSDepth),
            let document = try? JSONDecoder().decode(JWKSDocument.self, from: data)
        else {
            throw GatewayConfigurationError("not a JWKS document (a JSON object with a \"keys\" array)")
        }
        var keys: [VerificationKey] = []
        var skipped = 0
        for entry in document.keys {
            guard entry.isForSignatures, let jwk = entry.jwk else {
                skipped += 1
                continue
            }
            let loaded = await Self.jwkKeys(jwk)
            if loaded.isEmpty { skipped += 1 }
            keys += loaded
        }
        return (keys, skipped)
    }

    private static func jwkKeys(_ jwk: JWK) async -> [VerificationKey] {
        let keyID = jwk.keyIdentifier?.string
        let declared = jwk.algorithm?.rawValue
        switch jwk.keyType {
        case .rsa:
            guard let modulus = jwk.modulus, let exponent = jwk.exponent,
                let key = try? Insecure.RSA.PublicKey(modulus: modulus, exponent: exponent)
            else { return [] }
            let names = declared.map { [$0] } ?? VerificationKey.rsaAlgorithms
            return await Self.rsaKeys(key, names: names.filter(VerificationKey.rsaAlgorithms.contains), keyID: keyID)
        case .ecdsa:
            guard let x = jwk.x, let y = jwk.y else { return [] }
            switch (jwk.curve?.rawValue, declared) {
            case ("P-256", "ES256"?), ("P-256", nil):
                guard let key = try? ES256PublicKey(parameters: (x, y)) else { return [] }
                return await Self.keys(keyID: keyID) { await $0.add(ecdsa: key) }
            case ("P-384", "ES384"?), ("P-384", nil):
                guard let key = try? ES384PublicKey(parameters: (x, y)) else { return [] }
                return await Self.keys(keyID: keyID) { await $0.add(ecdsa: key) }
            default:
                return []
            }
        case .octetKeyPair:
            guard jwk.curve?.rawValue == "Ed25519", declared == nil || declared == "EdDSA", let x = jwk.x,
                let key = try? EdDSA.PublicKey(x: x, curve: .ed25519)
            else { return [] }
            return await Self.keys(keyID: keyID) { await $0.add(eddsa: key) }
        default:
            return []
        }
    }

    private static func rsaKeys(
        _ key: Insecure.RSA.PublicKey, names: [String], keyID: String?
    ) async -> [VerificationKey] {
        var keys: [VerificationKey] = []
        for name in names {
            let digest: DigestAlgorithm =
                switch name.suffix(3) {
                case "384": .sha384
                case "512": .sha512
                default: .sha256
                }
            let isPSS = name.hasPrefix("PS")
            keys += await Self.keys(keyID: keyID) { collection in
                isPSS ? await collection.add(pss: key, digestAlgorithm: digest) : await collection.add(rsa: key, digestAlgorithm: digest)
            }
        }
        return keys
    }

    private static func keys(
        keyID: String?, _ add: @Sendable (JWTKeyCollection) async -> JWTKeyCollection
    ) async -> [VerificationKey] {
        guard let algorithm = await Self.algorithm(add) else { return [] }
        return [VerificationKey(algorithmName: algorithm.name, keyID: keyID, algorithm: algorithm)]
    }

    /// The algorithm of a collection holding exactly the one key `add` puts in it.
    private static func algorithm(_ add: @Sendable (JWTKeyCollection) async -> JWTKeyCollection) async -> (any JWTAlgorithm)? {
        let collection = await add(JWTKeyCollection())
        return try? await collection.getKey()
    }

    /// A JWKS document (RFC 7517 Section 5): every entry of `keys` decodes, as a jwt-kit JWK
    /// when it is one; nested values are not decoded beyond what a JWK reads.
    private struct JWKSDocument: Decodable {
        var keys: [Entry]

        struct Entry: Decodable {
            /// The key, nil when the entry is not a JWK jwt-kit reads.
            var jwk: JWK?
            /// Whether `use` is absent or `sig` (RFC 7517 Section 4.2).
            var isForSignatures: Bool

            private enum CodingKeys: String, CodingKey { case use }

            init(from decoder: any Decoder) throws {
                let container = try? decoder.container(keyedBy: CodingKeys.self)
                if let container, container.contains(.use) {
                    self.isForSignatures = (try? container.decode(String.self, forKey: .use)) == "sig"
                } else {
                    self.isForSignatures = container != nil
                }
                self.jwk = container == nil ? nil : try? JWK(from: decoder)
            }
        }
    }
}
