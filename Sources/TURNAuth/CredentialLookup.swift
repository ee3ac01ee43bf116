public import Foundation

/// What a ``CredentialStore`` knows about a user name.
public enum CredentialLookup: Hashable, Sendable, CustomStringConvertible {
    /// Keys to try against the request's MAC, what the credential grants, and when it expires
    /// (nil for a static user).
    ///
    /// Several keys when several REST secrets are configured; none when the user exists but has
    /// no key for the requested algorithm (a stored MD5 key asked for SHA-256).
    case keys([[UInt8]], grant: CredentialGrant, expiry: Date?)
    /// Neither a static user nor, with a REST secret configured, a REST user name.
    case unknown

    public var description: String {
        switch self {
        case .keys(let keys, let grant, _): "keys(\(keys.count) × <redacted>, user: \(grant.user))"
        case .unknown: "unknown"
        }
    }
}
