import STUNWire

extension IPAddress {
    /// An IPv6 address from its eight 16-bit groups, as written in text.
    static func v6(groups: UInt16...) -> IPAddress {
        precondition(groups.count == 8, "an IPv6 address has eight groups")
        let half = { (slice: ArraySlice<UInt16>) in slice.reduce(UInt64(0)) { $0 << 16 | UInt64($1) } }
        return .v6(high: half(groups[0..<4]), low: half(groups[4..<8]))
    }
}
