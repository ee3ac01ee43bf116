/// SOFTWARE: a description of the sending agent's software (RFC 8489 Section 14.14).
public struct Software: STUNTextAttribute, Hashable {
    public static let attributeType = STUNAttributeType.software
    public static let maximumByteCount = 763
    /// The text.
    public var text: String
    /// Creates the attribute from its text.
    public init(_ text: String) { self.text = text }
}
