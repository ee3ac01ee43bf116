import Foundation

/// What a verified token says, as far as minting is concerned.
struct VerifiedToken: Sendable, Hashable {
    /// The user (the configured user claim, else `userId`).
    var user: String
    /// The `roomId` claim.
    var room: String?
    /// The `permissions` claim; nil when the token has none.
    var permissions: [String]?
    /// The `exp` claim: signaling closes the token's sockets then.
    var expiresAt: Date
}
