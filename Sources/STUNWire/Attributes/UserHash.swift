/// USERHASH: SHA-256 of the user name and realm, sent instead of USERNAME (RFC 8489 Section 14.4); see ``LongTermKey/userHash(username:realm:)``.
public struct UserHash: STUNOpaqueAttribute, Hashable {
    public static let attributeType = STUNAttributeType.userHash
    public static let requiredByteCount: Int? = 32
    /// The bytes.
    public var bytes: [UInt8]
    /// Creates the attribute from its bytes.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
}
