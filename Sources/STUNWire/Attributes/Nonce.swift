/// NONCE: the server's nonce for the long-term credential mechanism (RFC 8489 Section 14.10).
public struct Nonce: STUNTextAttribute, Hashable {
    public static let attributeType = STUNAttributeType.nonce
    public static let maximumByteCount = 763
    /// The text.
    public var text: String
    /// Creates the attribute from its text.
    public init(_ text: String) { self.text = text }
}
