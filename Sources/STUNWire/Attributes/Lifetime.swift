/// LIFETIME: the seconds an allocation should live, requested or granted.
///
/// RFC 8656 Section 18.2: one 32-bit number of seconds.
public struct Lifetime: STUNUInt32Attribute, Hashable {
    public static let attributeType = STUNAttributeType.lifetime
    /// The lifetime in seconds.
    public var rawValue: UInt32
    /// Creates the attribute from a number of seconds.
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }
}
