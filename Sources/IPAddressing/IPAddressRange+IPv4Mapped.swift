extension IPAddressRange {
    /// The range with IPv4-mapped IPv6 addresses written as IPv4: a range that lies inside
    /// `::ffff:0:0/96` (RFC 4291 Section 2.5.5.2) becomes the IPv4 range it stands for
    /// (`::ffff:0:0/96` is every IPv4 address, `::ffff:10.0.0.0/104` is `10.0.0.0/8`); any
    /// other range unchanged.
    ///
    /// Compare with ``IPAddress/unmapped`` addresses: that is how the gateway's IP rules match.
    public var unmapped: IPAddressRange {
        guard case .v6(let range) = self.bounds,
            IPAddress.isIPv4Mapped(range.lowerBound), IPAddress.isIPv4Mapped(range.upperBound)
        else { return self }
        let lower = UInt32(truncatingIfNeeded: range.lowerBound)
        let upper = UInt32(truncatingIfNeeded: range.upperBound)
        return IPAddressRange(bounds: .v4(lower...upper))
    }
}
