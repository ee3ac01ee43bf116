public import Foundation
import STUNWire

/// A time-limited TURN credential in the TURN REST API format that coturn uses.
///
/// The user name is `<expiry>:<user>` (the separator is configurable, coturn's
/// `rest-api-separator`), where expiry is a UNIX timestamp in seconds, and the password is
/// `base64(HMAC-SHA1(secret, username))`. Anyone holding the shared secret can mint and check
/// credentials without a database (draft-uberti-behave-turn-rest-00 Section 2.2).
public struct RESTCredential: Hashable, Sendable {
    /// The full user name, `<expiry><separator><user>`.
    public var username: String
    /// The password: base64 of the HMAC-SHA1 of the user name under the secret.
    public var password: String

    /// Mints a credential.
    ///
    /// - Parameters:
    ///   - user: the application's user id (may be empty).
    ///   - expiry: when the credential stops being accepted.
    ///   - secret: the shared secret (`static-auth-secret`).
    ///   - separator: between timestamp and user; coturn's default is `:`.
    public init(user: String, expiry: Date, secret: String, separator: Character = ":") {
        let timestamp = Int64(expiry.timeIntervalSince1970.rounded(.down))
        self.username = user.isEmpty ? String(timestamp) : "\(timestamp)\(separator)\(user)"
        self.password = Self.password(for: self.username, secret: secret)
    }

    /// Mints a credential whose user name carries `grant` (``CredentialGrant/encoded``).
    public init(grant: CredentialGrant, expiry: Date, secret: String, separator: Character = ":") {
        self.init(user: grant.encoded, expiry: expiry, secret: secret, separator: separator)
    }

    /// The password coturn derives for `username` under `secret`.
    public static func password(for username: String, secret: String) -> String {
        Data(KeyedHash.sha1(key: Array(secret.utf8), message: Array(username.utf8))).base64EncodedString()
    }

    /// Splits a REST user name into its expiry and user parts.
    ///
    /// Returns nil when the part before the first separator is not a decimal timestamp. A name
    /// with no separator is all timestamp and has an empty user (coturn accepts that form).
    public static func parse(username: String, separator: Character = ":") -> (expiry: Date, user: Substring)? {
        let parts = username.split(separator: separator, maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, !first.isEmpty, first.allSatisfy(\.isASCII),
            let timestamp = Int64(first), timestamp >= 0
        else { return nil }
        let user = parts.count > 1 ? parts[1] : Substring()
        return (Date(timeIntervalSince1970: TimeInterval(timestamp)), user)
    }
}
