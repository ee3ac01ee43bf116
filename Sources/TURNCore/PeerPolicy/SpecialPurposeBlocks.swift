import STUNWire

/// The address blocks behind ``PeerAddressPolicy/Category``, as prefix and mask integers.
///
/// Blocks are checked in order and the first that holds the address names its category, so a
/// narrower block comes before a wider one that contains it.
enum SpecialPurposeBlocks {
    /// One CIDR block and its category.
    struct Block<Bits: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
        let prefix: Bits
        let mask: Bits
        let category: PeerAddressPolicy.Category

        init(_ prefix: Bits, _ length: Int, _ category: PeerAddressPolicy.Category) {
            self.mask = length == 0 ? 0 : Bits.max << (Bits.bitWidth - length)
            assert(prefix & ~self.mask == 0, "a block's prefix has no bits past its length")
            self.prefix = prefix
            self.category = category
        }

        func contains(_ value: Bits) -> Bool { value & self.mask == self.prefix }
    }

    /// The IPv4 blocks (RFC 6890 Section 2.2.2, RFC 1918, RFC 6598, RFC 5737, RFC 5771).
    static let ipv4: [Block<UInt32>] = [
        Block(0x0000_0000, 8, .unspecified),  // 0.0.0.0/8
        Block(0x0A00_0000, 8, .private),  // 10.0.0.0/8
        Block(0x6440_0000, 10, .carrierGradeNAT),  // 100.64.0.0/10
        Block(0x7F00_0000, 8, .loopback),  // 127.0.0.0/8
        Block(0xA9FE_0000, 16, .linkLocal),  // 169.254.0.0/16
        Block(0xAC10_0000, 12, .private),  // 172.16.0.0/12
        Block(0xC000_0000, 24, .ietfProtocolAssignments),  // 192.0.0.0/24
        Block(0xC000_0200, 24, .documentation),  // 192.0.2.0/24
        Block(0xC058_6300, 24, .sixToFour),  // 192.88.99.0/24
        Block(0xC0A8_0000, 16, .private),  // 192.168.0.0/16
        Block(0xC612_0000, 15, .benchmarking),  // 198.18.0.0/15
        Block(0xC633_6400, 24, .documentation),  // 198.51.100.0/24
        Block(0xCB00_7100, 24, .documentation),  // 203.0.113.0/24
        Block(0xE000_0000, 4, .multicast),  // 224.0.0.0/4
        Block(0xF000_0000, 4, .reserved),  // 240.0.0.0/4, with 255.255.255.255
    ]

    /// The IPv6 blocks (RFC 6890 Section 2.2.3, RFC 4291, RFC 4193, RFC 3056, RFC 4380).
    static let ipv6: [Block<UInt128>] = [
        Block(0x0000_0000_0000_0000_0000_0000_0000_0000, 128, .unspecified),  // ::/128
        Block(0x0000_0000_0000_0000_0000_0000_0000_0001, 128, .loopback),  // ::1/128
        Block(0x0100_0000_0000_0000_0000_0000_0000_0000, 64, .discard),  // 100::/64
        Block(0x2001_0000_0000_0000_0000_0000_0000_0000, 32, .teredo),  // 2001::/32
        Block(0x2001_0002_0000_0000_0000_0000_0000_0000, 48, .benchmarking),  // 2001:2::/48
        Block(0x2001_0000_0000_0000_0000_0000_0000_0000, 23, .ietfProtocolAssignments),  // 2001::/23
        Block(0x2001_0DB8_0000_0000_0000_0000_0000_0000, 32, .documentation),  // 2001:db8::/32
        Block(0x2002_0000_0000_0000_0000_0000_0000_0000, 16, .sixToFour),  // 2002::/16
        Block(0x3FFF_0000_0000_0000_0000_0000_0000_0000, 20, .documentation),  // 3fff::/20
        Block(0xFC00_0000_0000_0000_0000_0000_0000_0000, 7, .uniqueLocal),  // fc00::/7
        Block(0xFE80_0000_0000_0000_0000_0000_0000_0000, 10, .linkLocal),  // fe80::/10
        Block(0xFEC0_0000_0000_0000_0000_0000_0000_0000, 10, .siteLocal),  // fec0::/10
        Block(0xFF00_0000_0000_0000_0000_0000_0000_0000, 8, .multicast),  // ff00::/8
    ]

    /// The category of an IPv4 address, or nil for a globally reachable one.
    static func category(ofIPv4 value: UInt32) -> PeerAddressPolicy.Category? {
        for block in Self.ipv4 where block.contains(value) {
            return block.category
        }
        return nil
    }

    /// The category of an IPv6 address itself, or nil.
    ///
    /// nil also for the IPv4-mapped and NAT64 well-known prefixes, which are judged by the IPv4
    /// address they carry (``STUNWire/IPAddress/embeddedIPv4Address``). Outside `2000::/3`,
    /// anything not named above is `.reserved`.
    static func category(ofIPv6 value: UInt128) -> PeerAddressPolicy.Category? {
        for block in Self.ipv6 where block.contains(value) {
            return block.category
        }
        if IPAddress.isIPv4Mapped(value) || value >> 32 == IPAddress.nat64WellKnownPrefix {
            return nil
        }
        return value >> 125 == 0b001 ? nil : .reserved
    }
}
