/// A secret that never prints: a REST shared secret, a static user's password or a stored key.
///
/// `description`, `debugDescription` and the reflection mirror all show `<redacted>`, so a
/// secret that reaches a log line, `print` or `dump` by mistake does not leak. Configuration
/// hands secrets to this module in this wrapper (coturn's `static-auth-secret` and the password
/// part of `user=`).
public struct CredentialSecret: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The secret's bytes.
    public var bytes: [UInt8]

    /// Wraps secret bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Wraps a secret given as text; the bytes are its UTF-8 encoding.
    public init(_ text: String) { self.bytes = Array(text.utf8) }

    /// The secret as text (its bytes decoded as UTF-8).
    public var text: String { String(decoding: self.bytes, as: UTF8.self) }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
