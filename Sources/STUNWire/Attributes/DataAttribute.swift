/// DATA: the application data of a Send or Data indication (RFC 8656 Section 18.4).
public struct DataAttribute: STUNOpaqueAttribute, Hashable {
    public static let attributeType = STUNAttributeType.data
    public static let requiredByteCount: Int? = nil
    /// The bytes.
    public var bytes: [UInt8]
    /// Creates the attribute from its bytes.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
}
