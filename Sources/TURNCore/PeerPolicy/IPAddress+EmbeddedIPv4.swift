public import STUNWire
public import IPAddressing

extension IPAddress {
    /// The IPv4 address that this IPv6 address carries, for the forms where packets sent to it
    /// end up at (or tunnelled to) that IPv4 address; nil for IPv4 and for other IPv6 addresses.
    ///
    /// The forms, and where the IPv4 address sits in them:
    /// - IPv4-mapped `::ffff:0:0/96` (RFC 4291 Section 2.5.5.2): the last 32 bits. A dual-stack
    ///   socket sends to `::ffff:a.b.c.d` as plain IPv4, which is how coturn let
    ///   `::ffff:127.0.0.1` through on IPv6 allocations (CVE-2026-27624).
    /// - IPv4-compatible `::/96` (RFC 4291 Section 2.5.5.1, deprecated): the last 32 bits, except
    ///   for `::` and `::1`, which are the unspecified and loopback addresses.
    /// - NAT64 well-known prefix `64:ff9b::/96` (RFC 6052 Section 2.1): the last 32 bits; a
    ///   translator forwards to that IPv4 address.
    /// - 6to4 `2002::/16` (RFC 3056 Section 2): bits 16-47, the IPv4 address of the 6to4 router
    ///   that packets are tunnelled to.
    /// - Teredo `2001::/32` (RFC 4380 Section 4): the last 32 bits inverted, the client's
    ///   mapped IPv4 address, where the packets finally arrive.
    public var embeddedIPv4Address: IPAddress? {
        guard case .v6(let high, let low) = self,
            let embedded = Self.embeddedIPv4(inIPv6: Self.ipv6Value(high: high, low: low))
        else { return nil }
        return .v4(embedded)
    }

    /// `64:ff9b::/96`, the NAT64 well-known prefix (RFC 6052 Section 2.1), as the top 96 bits.
    static var nat64WellKnownPrefix: UInt128 { 0x0064_FF9B_0000_0000_0000_0000 }

    /// The IPv4 address carried by the IPv6 address `value`, as ``embeddedIPv4Address`` defines it.
    static func embeddedIPv4(inIPv6 value: UInt128) -> UInt32? {
        let last32 = UInt32(truncatingIfNeeded: value)
        if Self.isIPv4Mapped(value) {
            return last32
        }
        switch value >> 32 {
        case 0: return value > 1 ? last32 : nil
        case Self.nat64WellKnownPrefix: return last32
        default: break
        }
        if value >> 112 == 0x2002 {
            return UInt32(truncatingIfNeeded: value >> 80)
        }
        if value >> 96 == 0x2001_0000 {
            return ~last32
        }
        return nil
    }
}
