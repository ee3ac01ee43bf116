/// The address family byte used by STUN address attributes and by REQUESTED-ADDRESS-FAMILY.
///
/// RFC 8489 Section 14.1 (0x01 IPv4, 0x02 IPv6) and RFC 8656 Section 18.6.
public enum STUNAddressFamily: UInt8, Hashable, Sendable {
    case ipv4 = 0x01
    case ipv6 = 0x02
}
