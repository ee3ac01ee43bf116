/// MESSAGE-INTEGRITY: an HMAC-SHA1 over the message (RFC 8489 Section 14.5); checked by ``STUNMessage/hasValidMessageIntegrity(key:)``.
public struct MessageIntegrity: STUNOpaqueAttribute, Hashable {
    public static let attributeType = STUNAttributeType.messageIntegrity
    public static let requiredByteCount: Int? = 20
    /// The bytes.
    public var bytes: [UInt8]
    /// Creates the attribute from its bytes.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
}
