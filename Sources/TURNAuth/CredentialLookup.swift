/// What a ``CredentialStore`` knows about a user name.
public enum CredentialLookup: Hashable, Sendable, CustomStringConvertible {
    /// Keys to try against the request's MAC, and the user that quotas count against.
    ///
    /// Several keys when several REST secrets are configured; none when the user exists but has
    /// no key for the requested algorithm (a stored MD5 key asked for SHA-256).
    case keys([[UInt8]], user: String)
    /// A REST credential whose expiry time has passed.
    case expired
    /// Neither a static user nor, with a REST secret configured, a REST user name.
    case unknown

    public var description: String {
        switch self {
        case .keys(let keys, let user): "keys(\(keys.count) × <redacted>, user: \(user))"
        case .expired: "expired"
        case .unknown: "unknown"
        }
    }
}
