extension IPAddress {
    /// The address with IPv4-mapped IPv6 (`::ffff:a.b.c.d`, RFC 4291 Section 2.5.5.2) written as
    /// the IPv4 address it stands for; any other address unchanged.
    ///
    /// A dual-stack socket reports an IPv4 client as `::ffff:a.b.c.d`; rules written for IPv4
    /// (the gateway's `api-allowed-ip`) match it once it is unmapped. The peer policy does not
    /// unmap: it judges a mapped peer both as itself and as the IPv4 address inside it.
    public var unmapped: IPAddress {
        guard case .v6(let high, let low) = self else { return self }
        let value = Self.ipv6Value(high: high, low: low)
        guard Self.isIPv4Mapped(value) else { return self }
        return .v4(UInt32(truncatingIfNeeded: value))
    }
}
