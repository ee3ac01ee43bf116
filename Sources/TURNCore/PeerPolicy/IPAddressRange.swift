public import STUNWire

/// A contiguous range of addresses of one family: what `allowed-peer-ip` and `denied-peer-ip`
/// name.
///
/// Built from a single address, from two addresses (coturn's `first-last` form) or from a CIDR
/// block (RFC 4632 Section 3.1 for IPv4, RFC 4291 Section 2.3 for IPv6); see
/// ``init(parsing:)`` for the text forms. Membership is two integer comparisons.
public struct IPAddressRange: Hashable, Sendable, CustomStringConvertible {
    /// The bounds as integers, so that membership is two comparisons.
    enum Bounds: Hashable, Sendable {
        case v4(ClosedRange<UInt32>)
        case v6(ClosedRange<UInt128>)
    }

    let bounds: Bounds

    /// The range holding only `address`.
    public init(_ address: IPAddress) {
        switch address {
        case .v4(let value):
            self.bounds = .v4(value...value)
        case .v6(let high, let low):
            let value = IPAddress.ipv6Value(high: high, low: low)
            self.bounds = .v6(value...value)
        }
    }

    /// The range from `lowerBound` through `upperBound`, both included.
    ///
    /// - Throws: ``PeerPolicyError`` `.mixedFamilies` when one is IPv4 and the other IPv6, and
    ///   `.reversedRange` when `lowerBound` is greater than `upperBound`. (coturn accepts both and
    ///   then matches nothing, silently.)
    public init(from lowerBound: IPAddress, through upperBound: IPAddress) throws(PeerPolicyError) {
        switch (lowerBound, upperBound) {
        case (.v4(let lower), .v4(let upper)):
            guard lower <= upper else { throw Self.reversed(lowerBound, upperBound) }
            self.bounds = .v4(lower...upper)
        case (.v6(let lowerHigh, let lowerLow), .v6(let upperHigh, let upperLow)):
            let lower = IPAddress.ipv6Value(high: lowerHigh, low: lowerLow)
            let upper = IPAddress.ipv6Value(high: upperHigh, low: upperLow)
            guard lower <= upper else { throw Self.reversed(lowerBound, upperBound) }
            self.bounds = .v6(lower...upper)
        default:
            throw PeerPolicyError(
                .mixedFamilies,
                message: "a range must not mix IPv4 and IPv6: \"\(lowerBound)-\(upperBound)\""
            )
        }
    }

    /// The CIDR block `prefix/length`: every address whose first `length` bits are `prefix`'s.
    ///
    /// - Parameters:
    ///   - prefix: the block's first address; its bits past `length` must be zero.
    ///   - length: 0-32 for IPv4, 0-128 for IPv6.
    /// - Throws: ``PeerPolicyError`` `.invalidPrefixLength` for a length outside the family's
    ///   width, `.hostBitsSet` when `prefix` has bits set past `length` (`10.0.0.1/8` is more
    ///   likely a typing error than a way to say `10.0.0.0/8`).
    public init(prefix: IPAddress, length: Int) throws(PeerPolicyError) {
        switch prefix {
        case .v4(let value):
            self.bounds = .v4(try Self.block(value, length: length, prefix: prefix))
        case .v6(let high, let low):
            let value = IPAddress.ipv6Value(high: high, low: low)
            self.bounds = .v6(try Self.block(value, length: length, prefix: prefix))
        }
    }

    /// The first address in the range.
    public var lowerBound: IPAddress {
        switch self.bounds {
        case .v4(let range): .v4(range.lowerBound)
        case .v6(let range): IPAddress(ipv6: range.lowerBound)
        }
    }

    /// The last address in the range.
    public var upperBound: IPAddress {
        switch self.bounds {
        case .v4(let range): .v4(range.upperBound)
        case .v6(let range): IPAddress(ipv6: range.upperBound)
        }
    }

    /// Whether `address` is in the range. An address of the other family never is: an
    /// IPv4-mapped IPv6 address is not in an IPv4 range (``PeerAddressPolicy`` looks at the
    /// IPv4 address inside it separately).
    public func contains(_ address: IPAddress) -> Bool {
        switch (self.bounds, address) {
        case (.v4(let range), .v4(let value)):
            range.contains(value)
        case (.v6(let range), .v6(let high, let low)):
            range.contains(IPAddress.ipv6Value(high: high, low: low))
        default:
            false
        }
    }

    /// `first-last`, or the single address; ``init(parsing:)`` reads it back.
    public var description: String {
        let lower = self.lowerBound
        let upper = self.upperBound
        return lower == upper ? "\(lower)" : "\(lower)-\(upper)"
    }

    private static func block<Bits: FixedWidthInteger & UnsignedInteger>(
        _ value: Bits,
        length: Int,
        prefix: IPAddress
    ) throws(PeerPolicyError) -> ClosedRange<Bits> {
        guard (0...Bits.bitWidth).contains(length) else {
            throw PeerPolicyError(
                .invalidPrefixLength,
                message: "prefix length \(length) is outside 0-\(Bits.bitWidth) for \(prefix)"
            )
        }
        let hostMask: Bits = length == Bits.bitWidth ? 0 : Bits.max >> length
        guard value & hostMask == 0 else {
            let start = Self.address(value & ~hostMask, like: prefix)
            throw PeerPolicyError(
                .hostBitsSet,
                message: "\(prefix)/\(length) has bits set past the prefix; the block starts at \(start)"
            )
        }
        return value...(value | hostMask)
    }

    private static func address<Bits: FixedWidthInteger>(_ value: Bits, like example: IPAddress) -> IPAddress {
        switch example {
        case .v4: .v4(UInt32(truncatingIfNeeded: value))
        case .v6: IPAddress(ipv6: UInt128(truncatingIfNeeded: value))
        }
    }

    private static func reversed(_ lower: IPAddress, _ upper: IPAddress) -> PeerPolicyError {
        PeerPolicyError(
            .reversedRange,
            message: "the first address is greater than the last: \"\(lower)-\(upper)\""
        )
    }
}
