/// REQUESTED-ADDRESS-FAMILY: the family of relayed address a client asks for.
///
/// RFC 8656 Section 18.6.
public struct RequestedAddressFamily: STUNFamilyAttribute, Hashable {
    public static let attributeType = STUNAttributeType.requestedAddressFamily
    /// The requested family.
    public var family: STUNAddressFamily
    /// Creates the attribute.
    public init(_ family: STUNAddressFamily) { self.family = family }
}
