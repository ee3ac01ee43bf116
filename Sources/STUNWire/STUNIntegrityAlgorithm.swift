/// The HMAC used for a message-integrity attribute.
///
/// RFC 8489 Section 14.5 (MESSAGE-INTEGRITY, HMAC-SHA1, 20 bytes) and Section 14.6
/// (MESSAGE-INTEGRITY-SHA256, HMAC-SHA256, 32 bytes).
public enum STUNIntegrityAlgorithm: Hashable, Sendable {
    /// HMAC-SHA1 in MESSAGE-INTEGRITY.
    case sha1
    /// HMAC-SHA256 in MESSAGE-INTEGRITY-SHA256.
    case sha256

    /// The attribute that carries this algorithm's MAC.
    public var attributeType: STUNAttributeType {
        switch self {
        case .sha1: .messageIntegrity
        case .sha256: .messageIntegritySHA256
        }
    }
}
