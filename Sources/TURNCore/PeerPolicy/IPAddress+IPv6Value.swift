import STUNWire

extension IPAddress {
    /// An IPv6 address from its 128-bit value, the first network-order byte highest.
    init(ipv6 value: UInt128) {
        self = .v6(high: UInt64(truncatingIfNeeded: value >> 64), low: UInt64(truncatingIfNeeded: value))
    }

    /// The 128-bit value of an IPv6 address, the first network-order byte highest.
    static func ipv6Value(high: UInt64, low: UInt64) -> UInt128 {
        UInt128(high) << 64 | UInt128(low)
    }
}
