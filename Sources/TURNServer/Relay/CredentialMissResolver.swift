package import TURNAuth

/// The store behind the relay's credentials (Redis), asked once about a credential the relay
/// does not know before a 401 is final, so a user added there authenticates at once rather
/// than after the next periodic read.
package protocol CredentialMissResolver: Sendable {
    /// Whether `miss` is looked up now; false when it was looked up a moment ago or lookups are
    /// at their cap (``CredentialMissLimiter``).
    func admit(_ miss: CredentialMiss) -> Bool

    /// Looks `miss` up, bounded in time; when the store holds a credential the relay lacked,
    /// puts it in force on every relay loop before returning true.
    func resolve(_ miss: CredentialMiss) async -> Bool
}
