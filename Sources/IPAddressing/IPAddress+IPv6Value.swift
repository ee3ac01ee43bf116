extension IPAddress {
    /// An IPv6 address from its 128-bit value, the first network-order byte highest.
    package init(ipv6 value: UInt128) {
        self = .v6(high: UInt64(truncatingIfNeeded: value >> 64), low: UInt64(truncatingIfNeeded: value))
    }

    /// The 128-bit value of an IPv6 address, the first network-order byte highest.
    package static func ipv6Value(high: UInt64, low: UInt64) -> UInt128 {
        UInt128(high) << 64 | UInt128(low)
    }

    /// Whether the IPv6 address `value` is IPv4-mapped (`::ffff:0:0/96`, RFC 4291 Section 2.5.5.2).
    package static func isIPv4Mapped(_ value: UInt128) -> Bool {
        value >> 32 == 0xFFFF
    }
}
