/// An attribute whose value is opaque bytes, optionally of one fixed length.
public protocol STUNOpaqueAttribute: STUNAttributeValue {
    /// The only allowed length, or nil for any length.
    static var requiredByteCount: Int? { get }
    /// The bytes.
    var bytes: [UInt8] { get }
    /// Creates the attribute from its bytes (the caller gives the right length).
    init(_ bytes: [UInt8])
}

extension STUNOpaqueAttribute {
    public init(value: [UInt8], transactionID: STUNTransactionID) throws(STUNParseError) {
        if let required = Self.requiredByteCount, value.count != required { throw .invalidAttributeValue }
        self.init(value)
    }

    public func encodeValue(transactionID: STUNTransactionID) -> [UInt8] { self.bytes }
}
