/// An attribute with an empty value whose presence is the information.
public protocol STUNFlagAttribute: STUNAttributeValue {
    /// Creates the attribute.
    init()
}

extension STUNFlagAttribute {
    public init(value: [UInt8], transactionID: STUNTransactionID) throws(STUNParseError) {
        guard value.isEmpty else { throw .invalidAttributeValue }
        self.init()
    }

    public func encodeValue(transactionID: STUNTransactionID) -> [UInt8] { [] }
}
