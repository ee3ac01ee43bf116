/// A user's long-term credential as stored in coturn's Redis schema.
public enum CoturnUserCredential: Sendable, Hashable, CustomStringConvertible {
    /// The key from `.../user/<name>/key`: MD5(user:realm:password), 16 bytes (or 32 bytes
    /// for a SHA-256 key, RFC 8489 Section 18.5.1), decoded from hex.
    case key([UInt8])
    /// The plaintext password from `.../user/<name>/password`.
    case password(String)

    /// Redacted: says which kind it is, never the value.
    public var description: String {
        switch self {
        case .key(let bytes): "key(\(bytes.count) bytes, <redacted>)"
        case .password: "password(<redacted>)"
        }
    }
}
