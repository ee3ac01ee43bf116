/// ADDITIONAL-ADDRESS-FAMILY: asks for a second relayed address of another family.
///
/// RFC 8656 Section 18.11: a dual allocation; the only allowed value is IPv6, which the relay
/// checks (it answers 400 otherwise), so the codec accepts either family.
public struct AdditionalAddressFamily: STUNFamilyAttribute, Hashable {
    public static let attributeType = STUNAttributeType.additionalAddressFamily
    /// The additional family.
    public var family: STUNAddressFamily
    /// Creates the attribute.
    public init(_ family: STUNAddressFamily) { self.family = family }
}
