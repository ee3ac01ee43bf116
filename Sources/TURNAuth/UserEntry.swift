/// One static user of the long-term credential mechanism: coturn's `user=` option.
///
/// Either a password, from which the key is derived per RFC 8489 Section 9.2.2, or an MD5
/// long-term key that is already derived (`MD5(name:realm:password)` for the server's realm),
/// as coturn's `turnadmin -k` prints it. A stored key only works with PASSWORD-ALGORITHM MD5.
/// The description shows the name only.
public struct UserEntry: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// How the user proves who they are.
    public enum Credential: Hashable, Sendable, CustomStringConvertible {
        /// A password (RFC 8489 Section 9.2.2 derives the key).
        case password(CredentialSecret)
        /// The 16-byte MD5 long-term key, already derived.
        case md5Key(CredentialSecret)

        public var description: String {
            switch self {
            case .password: "password(<redacted>)"
            case .md5Key: "md5Key(<redacted>)"
            }
        }
    }

    /// The length in bytes of an MD5 long-term key.
    public static let md5KeyByteCount = 16

    /// The user name, as it appears in USERNAME.
    public var name: String
    /// The password or key.
    public var credential: Credential

    /// Creates an entry.
    public init(name: String, credential: Credential) {
        self.name = name
        self.credential = credential
    }

    /// Parses the value of coturn's `user=` option: `name:password` or `name:0x<32 hex digits>`.
    ///
    /// The name ends at the first `:`; the password may contain more. A password that starts
    /// with `0x` is a key and must be exactly 32 hexadecimal digits (either case).
    ///
    /// - Throws: ``TURNAuthError`` with ``TURNAuthError/Code/missingSeparator``,
    ///   ``TURNAuthError/Code/emptyUsername``, ``TURNAuthError/Code/emptyPassword`` or
    ///   ``TURNAuthError/Code/invalidKey``.
    public init(parsing value: String) throws(TURNAuthError) {
        guard let separator = value.firstIndex(of: ":") else { throw .missingSeparator }
        let name = value[..<separator]
        let secret = value[value.index(after: separator)...]
        guard !name.isEmpty else { throw .emptyUsername }
        guard !secret.isEmpty else { throw .emptyPassword }
        if secret.hasPrefix("0x") {
            guard let key = HexText.bytes(secret.dropFirst(2)), key.count == Self.md5KeyByteCount else {
                throw .invalidKey
            }
            self.init(name: String(name), credential: .md5Key(CredentialSecret(bytes: key)))
        } else {
            self.init(name: String(name), credential: .password(CredentialSecret(String(secret))))
        }
    }

    public var description: String { "\(self.name):<redacted>" }
    public var debugDescription: String { "UserEntry(\(self.name), \(self.credential))" }
}
