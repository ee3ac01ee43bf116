/// ALTERNATE-DOMAIN: the TLS domain of the alternate server (RFC 8489 Section 14.16).
public struct AlternateDomain: STUNTextAttribute, Hashable {
    public static let attributeType = STUNAttributeType.alternateDomain
    public static let maximumByteCount = 255
    /// The text.
    public var text: String
    /// Creates the attribute from its text.
    public init(_ text: String) { self.text = text }
}
