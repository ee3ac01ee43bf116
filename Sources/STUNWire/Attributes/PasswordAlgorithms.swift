/// PASSWORD-ALGORITHMS: the long-term key algorithms a server offers, in its order of preference.
///
/// RFC 8489 Section 14.11: a list of PASSWORD-ALGORITHM entries.
public struct PasswordAlgorithms: STUNAttributeValue, Hashable {
    public static let attributeType = STUNAttributeType.passwordAlgorithms

    /// The algorithms.
    public var algorithms: [PasswordAlgorithm]

    /// Creates the attribute.
    public init(_ algorithms: [PasswordAlgorithm]) { self.algorithms = algorithms }

    public init(value: [UInt8], transactionID: STUNTransactionID) throws(STUNParseError) {
        var offset = 0
        var algorithms: [PasswordAlgorithm] = []
        while offset < value.count {
            guard let algorithm = PasswordAlgorithm.decodeOne(value, offset: &offset) else {
                throw .invalidAttributeValue
            }
            algorithms.append(algorithm)
        }
        self.algorithms = algorithms
    }

    public func encodeValue(transactionID: STUNTransactionID) -> [UInt8] {
        var out: [UInt8] = []
        for algorithm in self.algorithms {
            algorithm.encode(into: &out)
        }
        return out
    }
}
