package import IPAddressing

extension PeerAddressPolicy {
    /// A kind of address the relay refuses by default, with a label for metrics.
    ///
    /// The IPv4 and IPv6 special-purpose address registries (RFC 6890, kept by IANA) list the
    /// blocks that are not globally reachable; no legitimate TURN peer has such an address,
    /// while an attacker could use one to reach the relay's own host or network (RFC 8656
    /// Section 21). The raw value is a bounded metrics label.
    public enum Category: String, Hashable, Sendable, CaseIterable {
        /// `0.0.0.0/8` "this host on this network" (RFC 6890 Section 2.2.2) and `::/128`
        /// (RFC 4291 Section 2.5.2). Never permitted: `allowed-peer-ip` does not open it.
        case unspecified
        /// `127.0.0.0/8` (RFC 6890 Section 2.2.2) and `::1/128` (RFC 4291 Section 2.5.3).
        /// Only ``Configuration/allowLoopbackPeers`` opens it; `allowed-peer-ip` does not.
        case loopback
        /// `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16` (RFC 1918 Section 3).
        case `private`
        /// `100.64.0.0/10`, the shared address space of carrier-grade NAT (RFC 6598).
        case carrierGradeNAT = "cgnat"
        /// `169.254.0.0/16` (RFC 3927; includes the cloud metadata service at
        /// `169.254.169.254`) and `fe80::/10` (RFC 4291 Section 2.5.6).
        case linkLocal = "link_local"
        /// `fec0::/10`, deprecated site-local addresses (RFC 3879; RFC 4291 Section 2.5.7).
        case siteLocal = "site_local"
        /// `fc00::/7`, unique local addresses (RFC 4193).
        case uniqueLocal = "unique_local"
        /// `224.0.0.0/4` (RFC 5771) and `ff00::/8` (RFC 4291 Section 2.7). Only
        /// ``Configuration/allowMulticastPeers`` opens it; `allowed-peer-ip` does not.
        case multicast
        /// `240.0.0.0/4` (RFC 1112 Section 4), which holds the limited broadcast address
        /// `255.255.255.255`, and IPv6 outside `2000::/3`, the only block IANA has allocated
        /// for global unicast, when no other category names it and it is not IPv4-mapped or
        /// under the NAT64 well-known prefix (those are judged by the IPv4 address inside).
        /// That includes the deprecated IPv4-compatible `::/96` (RFC 4291 Section 2.5.5.1) and
        /// the local-use NAT64 prefix `64:ff9b:1::/48` (RFC 8215).
        case reserved
        /// `192.0.0.0/24` and `2001::/23`, IETF protocol assignments (RFC 6890 Sections 2.2.2
        /// and 2.2.3), except the Teredo and benchmarking blocks inside the latter.
        case ietfProtocolAssignments = "ietf_protocol"
        /// `192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24` (RFC 5737), `2001:db8::/32`
        /// (RFC 3849) and `3fff::/20` (RFC 9637): documentation examples, never routed.
        case documentation
        /// `198.18.0.0/15` (RFC 2544) and `2001:2::/48` (RFC 5180): benchmarking networks,
        /// which some networks use internally.
        case benchmarking
        /// `100::/64`, the discard prefix (RFC 6666).
        case discard
        /// `2001::/32`, Teredo tunnelling (RFC 4380 Section 2.6).
        case teredo
        /// `2002::/16`, 6to4 (RFC 3056 Section 2), and `192.88.99.0/24`, the former 6to4
        /// relay anycast block (RFC 7526).
        case sixToFour = "6to4"

        /// Whether `allowed-peer-ip` leaves the category closed, as coturn checks these before
        /// its allow list: only the dedicated flag, if any, opens it.
        var isGate: Bool {
            switch self {
            case .unspecified, .loopback, .multicast: true
            default: false
            }
        }
    }
}

extension PeerAddressPolicy {
    /// The special-purpose category of `address` itself (RFC 6890), or nil when it is globally
    /// reachable: what `external-ip=auto` asks of a relay address.
    ///
    /// An IPv6 address that carries an IPv4 address (IPv4-mapped, NAT64) is judged by the
    /// IPv4 address inside.
    package static func category(of address: IPAddress) -> Category? {
        switch address {
        case .v4(let value):
            return SpecialPurposeBlocks.category(ofIPv4: value)
        case .v6(let high, let low):
            let value = IPAddress.ipv6Value(high: high, low: low)
            if let category = SpecialPurposeBlocks.category(ofIPv6: value) { return category }
            return IPAddress.embeddedIPv4(inIPv6: value).flatMap(SpecialPurposeBlocks.category(ofIPv4:))
        }
    }
}
