/// USERNAME: the user name of a long-term or short-term credential (RFC 8489 Section 14.3).
public struct Username: STUNTextAttribute, Hashable {
    public static let attributeType = STUNAttributeType.username
    public static let maximumByteCount = 512
    /// The text.
    public var text: String
    /// Creates the attribute from its text.
    public init(_ text: String) { self.text = text }
}
