/// What a server's check of a NONCE found.
///
/// RFC 8489 Section 9.2.4: a nonce that is no longer valid gets 438 (Stale Nonce), whether it
/// expired or was never issued to this client.
public enum NonceValidity: Hashable, Sendable {
    /// Issued by this server to this client address, within its lifetime.
    case valid
    /// Issued by this server to this client address, but older than its lifetime.
    case stale
    /// Not issued by this server to this client address: malformed, forged, tampered with,
    /// from another address, or under another key.
    case invalid
}
