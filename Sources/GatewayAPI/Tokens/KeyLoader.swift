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
                if let algorithm { keys.append(VerificationKey(algorithmName: algorithm.name, origin: .secret, algorithm: algorithm)) }
            }
        }
        return keys
    }

    /// Keys for a PEM public key file's text.
    ///
    /// - Throws: ``GatewayConfigurationError`` when it is not an RSA, EC P-256/P-384 or Ed25519 public key.
    static func pemKeys(_ pem: String, path: String) async throws(GatewayConfigurationError) -> [VerificationKey] {
        if let key = try? Insecure.RSA.PublicKey(pem: pem) {
            return await Self.rsaKeys(key, names: VerificationKey.rsaAlgorithms, keyID: nil, origin: .publicKeyFile)
        }
        if let key = try? ES256PublicKey(pem: pem) {
            return await Self.keys(keyID: nil, origin: .publicKeyFile) { await $0.add(ecdsa: key) }
        }
        if let key = try? ES384PublicKey(pem: pem) {
            return await Self.keys(keyID: nil, origin: .publicKeyFile) { await $0.add(ecdsa: key) }
        }
        if let key = try? EdDSA.PublicKey(pem: pem) {
            return await Self.keys(keyID: nil, origin: .publicKeyFile) { await $0.add(eddsa: key) }
        }
        throw GatewayConfigurationError("\(path): not a PEM RSA, EC P-256/P-384 or Ed25519 public key")
    }

    /// Keys for a JWKS document; keys that are malformed, private-only, for encryption or of
    /// unsupported types are skipped and counted.
    ///
    /// - Throws: ``GatewayConfigurationError`` when the document is not a JSON object with a `keys` array.
    static func jwksKeys(_ data: Data, origin: VerificationKey.Origin) async throws(GatewayConfigurationError) -> (
        keys: [VerificationKey], skipped: Int
    ) {
        guard case .array(let entries)? = (try? JSONDecoder().decode([String: JSONValue].self, from: data))?["keys"] else {
            throw GatewayConfigurationError("not a JWKS document (a JSON object with a \"keys\" array)")
        }
        let rawEntries = (try? JSONDecoder().decode(JWKSEntries.self, from: data))?.keys ?? []
        var keys: [VerificationKey] = []
        var skipped = 0
        for (index, entry) in entries.enumerated() {
            guard case .object(let fields) = entry, fields["use"]?.text ?? "sig" == "sig",
                index < rawEntries.count, let jwk = rawEntries[index]
            else {
                skipped += 1
                continue
            }
            let loaded = await Self.jwkKeys(jwk, origin: origin)
            if loaded.isEmpty { skipped += 1 }
            keys += loaded
        }
        return (keys, skipped)
    }

    private static func jwkKeys(_ jwk: JWK, origin: VerificationKey.Origin) async -> [VerificationKey] {
        let keyID = jwk.keyIdentifier?.string
        let declared = jwk.algorithm?.rawValue
        switch jwk.keyType {
        case .rsa:
            guard let modulus = jwk.modulus, let exponent = jwk.exponent,
                let key = try? Insecure.RSA.PublicKey(modulus: modulus, exponent: exponent)
            else { return [] }
            let names = declared.map { [$0] } ?? VerificationKey.rsaAlgorithms
            return await Self.rsaKeys(key, names: names.filter(VerificationKey.rsaAlgorithms.contains), keyID: keyID, origin: origin)
        case .ecdsa:
            guard let x = jwk.x, let y = jwk.y else { return [] }
            switch (jwk.curve?.rawValue, declared) {
            case ("P-256", "ES256"?), ("P-256", nil):
                guard let key = try? ES256PublicKey(parameters: (x, y)) else { return [] }
                return await Self.keys(keyID: keyID, origin: origin) { await $0.add(ecdsa: key) }
            case ("P-384", "ES384"?), ("P-384", nil):
                guard let key = try? ES384PublicKey(parameters: (x, y)) else { return [] }
                return await Self.keys(keyID: keyID, origin: origin) { await $0.add(ecdsa: key) }
            default:
                return []
            }
        case .octetKeyPair:
            guard jwk.curve?.rawValue == "Ed25519", declared == nil || declared == "EdDSA", let x = jwk.x,
                let key = try? EdDSA.PublicKey(x: x, curve: .ed25519)
            else { return [] }
            return await Self.keys(keyID: keyID, origin: origin) { await $0.add(eddsa: key) }
        default:
            return []
        }
    }

    private static func rsaKeys(
        _ key: Insecure.RSA.PublicKey, names: [String], keyID: String?, origin: VerificationKey.Origin
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
            keys += await Self.keys(keyID: keyID, origin: origin) { collection in
                isPSS ? await collection.add(pss: key, digestAlgorithm: digest) : await collection.add(rsa: key, digestAlgorithm: digest)
            }
        }
        return keys
    }

    private static func keys(
        keyID: String?, origin: VerificationKey.Origin, _ add: @Sendable (JWTKeyCollection) async -> JWTKeyCollection
    ) async -> [VerificationKey] {
        guard let algorithm = await Self.algorithm(add) else { return [] }
        return [VerificationKey(algorithmName: algorithm.name, keyID: keyID, origin: origin, algorithm: algorithm)]
    }

    /// The algorithm of a collection holding exactly the one key `add` puts in it.
    private static func algorithm(_ add: @Sendable (JWTKeyCollection) async -> JWTKeyCollection) async -> (any JWTAlgorithm)? {
        let collection = await add(JWTKeyCollection())
        return try? await collection.getKey()
    }

    /// The `keys` array decoded as jwt-kit JWKs, an entry that does not decode as nil.
    private struct JWKSEntries: Decodable {
        var keys: [JWK?]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            var array = try container.nestedUnkeyedContainer(forKey: .keys)
            var keys: [JWK?] = []
            while !array.isAtEnd {
                if let jwk = try? array.decode(JWK.self) {
                    keys.append(jwk)
                } else {
                    _ = try array.decode(JSONValue.self)
                    keys.append(nil)
                }
            }
            self.keys = keys
        }

        private enum CodingKeys: String, CodingKey { case keys }
    }
}
