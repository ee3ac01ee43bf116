/// FINGERPRINT: the CRC-32 of the message, XOR 0x5354554E.
///
/// RFC 8489 Section 14.7. ``STUNMessage/serialize(integrity:fingerprint:)`` computes it and
/// ``STUNMessage/hasValidFingerprint`` checks it; this type only carries the value.
public struct Fingerprint: STUNUInt32Attribute, Hashable {
    public static let attributeType = STUNAttributeType.fingerprint
    /// The constant the CRC is XORed with.
    public static let xorValue: UInt32 = 0x5354_554E
    /// The CRC-32 XOR ``xorValue``.
    public var rawValue: UInt32
    /// Creates the attribute from its value.
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }
}
