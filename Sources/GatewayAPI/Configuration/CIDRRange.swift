/// An IPv4 or IPv6 address range in CIDR notation (`api-allowed-ip`, `api-denied-ip`).
///
/// An address without a prefix length is a single host. IPv4-mapped IPv6 addresses
/// (`::ffff:a.b.c.d`) are matched as the IPv4 address they carry, and an IPv4-mapped range
/// as its IPv4 range: `::ffff:0:0/96` is all of IPv4, and a mapped prefix under 96 is refused.
public struct CIDRRange: Sendable, Hashable, CustomStringConvertible {
    /// The network address bytes (4 or 16), host bits cleared.
    public let network: [UInt8]
    /// The prefix length in bits.
    public let prefixLength: Int

    /// Parses `a.b.c.d/n`, `x:y::z/n` or a bare address; nil when malformed.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddressBytes.parse(parts[0]) else { return nil }
        // An IPv4-mapped IPv6 range (`::ffff:0:0/96` is every IPv4 address) is matched as the
        // IPv4 range it carries: its prefix counts the 96 mapping bits.
        let mapped = address.count == 4 && parts[0].contains(":")
        let bits = mapped ? 128 : address.count * 8
        var length = bits
        if parts.count == 2 {
            guard parts[1].count <= 3, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                let parsed = Int(parts[1]), ((mapped ? 96 : 0)...bits).contains(parsed)
            else { return nil }
            length = parsed
        }
        if mapped { length -= 96 }
        self.network = Self.mask(address, prefixLength: length)
        self.prefixLength = length
    }

    /// Whether `address` (4 or 16 bytes, IPv4-mapped IPv6 normalised) is in the range.
    public func contains(_ address: [UInt8]) -> Bool {
        let normalised = IPAddressBytes.normalise(address)
        guard normalised.count == self.network.count else { return false }
        return Self.mask(normalised, prefixLength: self.prefixLength) == self.network
    }

    /// Whether the address given as text is in the range; false for text that is no address.
    public func contains(address text: some StringProtocol) -> Bool {
        guard let bytes = IPAddressBytes.parse(text) else { return false }
        return self.contains(bytes)
    }

    /// The range in CIDR notation, e.g. `10.0.0.0/8`.
    public var description: String {
        "\(IPAddressBytes.format(self.network))/\(self.prefixLength)"
    }

    private static func mask(_ address: [UInt8], prefixLength: Int) -> [UInt8] {
        address.enumerated().map { index, byte in
            let kept = min(max(prefixLength - index * 8, 0), 8)
            return kept == 0 ? 0 : byte & UInt8(truncatingIfNeeded: 0xFF << (8 - kept))
        }
    }
}
