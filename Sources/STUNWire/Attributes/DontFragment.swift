/// DONT-FRAGMENT: asks the relay to set the DF bit on datagrams it sends to peers.
///
/// RFC 8656 Section 18.9: no value.
public struct DontFragment: STUNFlagAttribute, Hashable {
    public static let attributeType = STUNAttributeType.dontFragment
    /// Creates the attribute.
    public init() {}
}
