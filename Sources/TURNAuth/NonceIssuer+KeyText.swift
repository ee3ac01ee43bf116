import Crypto
import Foundation

extension NonceIssuer {
    /// Why the text of a nonce key file is not a key.
    package struct KeyTextError: Error, CustomStringConvertible {
        /// What is wrong with the text; never the text itself.
        package let description: String
    }

    /// The key a nonce key file holds: hex digits, or base64 (standard or URL-safe alphabet),
    /// with surrounding white space ignored. Never repeats the text in an error.
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - minimumBytes: the shortest key accepted (at least ``minimumKeyByteCount``).
    package static func key(parsing text: String, minimumBytes: Int) throws(KeyTextError) -> [UInt8] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, let key = HexText.bytes(trimmed) ?? Self.base64Bytes(trimmed) else {
            throw KeyTextError(description: "the nonce key is neither hex nor base64")
        }
        guard key.count >= max(minimumBytes, Self.minimumKeyByteCount) else {
            throw KeyTextError(description: "the nonce key has \(key.count) bytes; at least \(max(minimumBytes, Self.minimumKeyByteCount)) are needed")
        }
        return key
    }

    /// The key derived from a passphrase (coturn's `stateless-nonce-secret`): SHA-256 of a
    /// label and the passphrase, so the same passphrase gives every node the same key and the
    /// key is never the passphrase used elsewhere.
    package static func key(derivingFrom passphrase: String) -> [UInt8] {
        Array(SHA256.hash(data: Array("turngate-nonce-key-v1".utf8) + Array(passphrase.utf8)))
    }

    private static func base64Bytes(_ text: String) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4)
        return Data(base64Encoded: standard).map(Array.init)
    }
}
