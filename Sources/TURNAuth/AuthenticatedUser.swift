public import Foundation
public import STUNWire

/// A request's sender, once the long-term credential mechanism has accepted it.
///
/// RFC 8489 Section 9.2.4: the response to an authenticated request is signed with the same
/// key, and with MESSAGE-INTEGRITY-SHA256 when the request used it; pass ``integrity`` to
/// `STUNMessage.serialize(integrity:fingerprint:)`. The description never shows the key.
public struct AuthenticatedUser: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The user name: the USERNAME, or the static user a USERHASH named.
    public var username: String
    /// What the credential grants: whom quotas count against (the static user's name, or a
    /// REST name's user part), its room and bandwidth class.
    public var grant: CredentialGrant
    /// When a REST credential expires; nil for a static user.
    public var credentialExpiry: Date?
    /// The long-term key that verified the request.
    public var key: [UInt8]
    /// The MAC the request carried: HMAC-SHA1 (MESSAGE-INTEGRITY) or HMAC-SHA256
    /// (MESSAGE-INTEGRITY-SHA256).
    public var algorithm: STUNIntegrityAlgorithm
    /// The algorithm that derived ``key`` (RFC 8489 Section 14.12): MD5 or SHA-256.
    public var passwordAlgorithm: PasswordAlgorithm

    /// Creates an authenticated user.
    public init(
        username: String,
        grant: CredentialGrant,
        credentialExpiry: Date? = nil,
        key: [UInt8],
        algorithm: STUNIntegrityAlgorithm,
        passwordAlgorithm: PasswordAlgorithm
    ) {
        self.username = username
        self.grant = grant
        self.credentialExpiry = credentialExpiry
        self.key = key
        self.algorithm = algorithm
        self.passwordAlgorithm = passwordAlgorithm
    }

    /// Whom quotas count against.
    public var user: String { self.grant.user }

    /// The key and algorithm to sign the response with.
    public var integrity: (key: [UInt8], algorithm: STUNIntegrityAlgorithm) { (self.key, self.algorithm) }

    public var description: String {
        "AuthenticatedUser(username: \(self.username), user: \(self.user), key: <redacted>, algorithm: \(self.algorithm))"
    }

    public var debugDescription: String { self.description }
}
