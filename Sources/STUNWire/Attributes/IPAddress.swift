public import IPAddressing

/// An IPv4 or IPv6 address as STUN carries it: the project's one address type, from
/// `IPAddressing`, which also parses it from text.
public typealias IPAddress = IPAddressing.IPAddress

extension IPAddress {
    /// The address family, as STUN address attributes encode it (RFC 8489 Section 14.1).
    public var family: STUNAddressFamily {
        switch self {
        case .v4: .ipv4
        case .v6: .ipv6
        }
    }
}
