/// Comparison of MACs in time that does not depend on where they differ.
enum ConstantTime {
    /// Whether two byte sequences are equal; the time depends only on their lengths.
    static func isEqual(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) {
            difference |= left ^ right
        }
        return difference == 0
    }
}
