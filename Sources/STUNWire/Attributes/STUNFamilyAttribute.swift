/// An attribute whose value is an address family byte followed by three reserved bytes.
///
/// The format of REQUESTED-ADDRESS-FAMILY (RFC 8656 Section 18.6) and
/// ADDITIONAL-ADDRESS-FAMILY (Section 18.11).
public protocol STUNFamilyAttribute: STUNAttributeValue {
    /// The address family.
    var family: STUNAddressFamily { get }
    /// Creates the attribute from a family.
    init(_ family: STUNAddressFamily)
}

extension STUNFamilyAttribute {
    public init(value: [UInt8], transactionID: STUNTransactionID) throws(STUNParseError) {
        guard value.count == 4, let family = STUNAddressFamily(rawValue: value[0]) else {
            throw .invalidAttributeValue
        }
        self.init(family)
    }

    public func encodeValue(transactionID: STUNTransactionID) -> [UInt8] {
        [self.family.rawValue, 0, 0, 0]
    }
}
