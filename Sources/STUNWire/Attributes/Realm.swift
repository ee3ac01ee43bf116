/// REALM: the realm of the long-term credential mechanism (RFC 8489 Section 14.9).
public struct Realm: STUNTextAttribute, Hashable {
    public static let attributeType = STUNAttributeType.realm
    public static let maximumByteCount = 763
    /// The text.
    public var text: String
    /// Creates the attribute from its text.
    public init(_ text: String) { self.text = text }
}
