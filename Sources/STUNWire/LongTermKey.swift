import Crypto

/// Derives the keys of the long-term credential mechanism.
///
/// RFC 8489 Section 9.2.2: key = H(username ":" realm ":" password) with H = MD5 (16-byte key,
/// for MESSAGE-INTEGRITY) or SHA-256 (32 bytes, when PASSWORD-ALGORITHM selects it). The strings
/// are used as UTF-8 bytes as given; callers apply any OpaqueString preparation first.
public enum LongTermKey {
    /// MD5(username:realm:password), the key RFC 5389 and most clients use.
    public static func md5(username: String, realm: String, password: String) -> [UInt8] {
        Self.digest(Insecure.MD5.self, of: "\(username):\(realm):\(password)")
    }

    /// SHA-256(username:realm:password), for PASSWORD-ALGORITHM SHA-256.
    public static func sha256(username: String, realm: String, password: String) -> [UInt8] {
        Self.digest(SHA256.self, of: "\(username):\(realm):\(password)")
    }

    /// The digest of `text`'s UTF-8 bytes, fed as one buffer (not through the generic
    /// `DataProtocol` path: this runs for every authenticated request of a static user).
    private static func digest<H: HashFunction>(_: H.Type, of text: String) -> [UInt8] {
        var hash = H()
        Array(text.utf8).withUnsafeBytes { hash.update(bufferPointer: $0) }
        return hash.finalize().withUnsafeBytes { Array($0) }
    }

    /// The key for a PASSWORD-ALGORITHM, or nil when the algorithm is not MD5 or SHA-256.
    public static func key(
        for algorithm: PasswordAlgorithm,
        username: String,
        realm: String,
        password: String
    ) -> [UInt8]? {
        switch algorithm.number {
        case PasswordAlgorithm.md5.number: Self.md5(username: username, realm: realm, password: password)
        case PasswordAlgorithm.sha256.number: Self.sha256(username: username, realm: realm, password: password)
        default: nil
        }
    }

    /// SHA-256(username:realm), the value of USERHASH (RFC 8489 Section 14.4).
    public static func userHash(username: String, realm: String) -> UserHash {
        UserHash(Array(SHA256.hash(data: Array("\(username):\(realm)".utf8))))
    }
}
