/// A contiguous range of addresses of one family: the one range type of the project, what
/// `allowed-peer-ip`, `denied-peer-ip`, `api-allowed-ip` and `api-denied-ip` name.
///
/// Built from a single address, from two addresses (coturn's `first-last` form) or from a CIDR
/// block (RFC 4632 Section 3.1 for IPv4, RFC 4291 Section 2.3 for IPv6); see
/// ``init(parsing:)`` for the text forms. Membership is two integer comparisons.
public struct IPAddressRange: Hashable, Sendable, CustomStringConvertible {
    /// The bounds as integers, so that membership is two comparisons.
    package enum Bounds: Hashable, Sendable {
        case v4(ClosedRange<UInt32>)
        case v6(ClosedRange<UInt128>)
    }

    /// The first and last address as integers.
    package let bounds: Bounds

    /// The range with these bounds.
    package init(bounds: Bounds) {
        self.bounds = bounds
    }

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
    /// - Throws: ``IPAddressParseError`` `.mixedFamilies` when one is IPv4 and the other IPv6, and
    ///   `.reversedRange` when `lowerBound` is greater than `upperBound`. (coturn accepts both and
    ///   then matches nothing, silently.)
    public init(from lowerBound: IPAddress, through upperBound: IPAddress) throws(IPAddressParseError) {
        try self.init(from: lowerBound, through: upperBound, spelled: "\(lowerBound)-\(upperBound)")
    }

    /// ``init(from:through:)``, its errors quoting `text`.
    init(from lowerBound: IPAddress, through upperBound: IPAddress, spelled text: String) throws(IPAddressParseError) {
        let reversed = IPAddressParseError(
            .reversedRange,
            message: "\(IPAddressParseError.quoted(text)) is not an address range: the first address is above the last"
        )
        switch (lowerBound, upperBound) {
        case (.v4(let lower), .v4(let upper)):
            guard lower <= upper else { throw reversed }
            self.bounds = .v4(lower...upper)
        case (.v6(let lowerHigh, let lowerLow), .v6(let upperHigh, let upperLow)):
            let lower = IPAddress.ipv6Value(high: lowerHigh, low: lowerLow)
            let upper = IPAddress.ipv6Value(high: upperHigh, low: upperLow)
            guard lower <= upper else { throw reversed }
            self.bounds = .v6(lower...upper)
        default:
            throw IPAddressParseError(
                .mixedFamilies,
                message: "\(IPAddressParseError.quoted(text)) is not an address range: it mixes IPv4 and IPv6"
            )
        }
    }

    /// The CIDR block `prefix/length`: every address whose first `length` bits are `prefix`'s.
    ///
    /// - Parameters:
    ///   - prefix: the block's first address; its bits past `length` must be zero.
    ///   - length: 0-32 for IPv4, 0-128 for IPv6.
    /// - Throws: ``IPAddressParseError`` `.invalidPrefixLength` for a length outside the family's
    ///   width, `.hostBitsSet` when `prefix` has bits set past `length` (`10.0.0.1/8` is more
    ///   likely a typing error than a way to say `10.0.0.0/8`).
    public init(prefix: IPAddress, length: Int) throws(IPAddressParseError) {
        try self.init(prefix: prefix, length: length, spelled: "\(prefix)/\(length)")
    }

    /// ``init(prefix:length:)``, its errors quoting `text`.
    init(prefix: IPAddress, length: Int, spelled text: String) throws(IPAddressParseError) {
        switch prefix {
        case .v4(let value):
            self.bounds = .v4(try Self.block(value, length: length, prefix: prefix, spelled: text))
        case .v6(let high, let low):
            let value = IPAddress.ipv6Value(high: high, low: low)
            self.bounds = .v6(try Self.block(value, length: length, prefix: prefix, spelled: text))
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
    /// IPv4-mapped IPv6 address is not in an IPv4 range unless both are ``unmapped`` first
    /// (the peer policy instead looks at the IPv4 address inside it separately).
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

    /// The single address, the CIDR block `address/length` when the range is one, or
    /// `first-last`; ``init(parsing:)`` reads it back.
    public var description: String {
        let lower = self.lowerBound
        let upper = self.upperBound
        if lower == upper { return "\(lower)" }
        let length: Int? =
            switch self.bounds {
            case .v4(let range): Self.prefixLength(range)
            case .v6(let range): Self.prefixLength(range)
            }
        guard let length else { return "\(lower)-\(upper)" }
        return "\(lower)/\(length)"
    }

    /// The prefix length of the CIDR block that is exactly `range`, or nil.
    private static func prefixLength<Bits: FixedWidthInteger & UnsignedInteger>(_ range: ClosedRange<Bits>) -> Int? {
        let hostMask = range.upperBound - range.lowerBound
        guard hostMask & (hostMask &+ 1) == 0, range.lowerBound & hostMask == 0 else { return nil }
        return Bits.bitWidth - hostMask.nonzeroBitCount
    }

    /// The rule a prefix length breaks, for messages.
    static func prefixLengthRule(_ bits: Int) -> String {
        "the prefix length must be a whole number from 0 to \(bits), without leading zeros"
    }

    private static func block<Bits: FixedWidthInteger & UnsignedInteger>(
        _ value: Bits,
        length: Int,
        prefix: IPAddress,
        spelled text: String
    ) throws(IPAddressParseError) -> ClosedRange<Bits> {
        let quoted = IPAddressParseError.quoted(text)
        guard (0...Bits.bitWidth).contains(length) else {
            throw IPAddressParseError(
                .invalidPrefixLength,
                message: "\(quoted) is not a CIDR block: \(Self.prefixLengthRule(Bits.bitWidth))"
            )
        }
        let hostMask: Bits = length == Bits.bitWidth ? 0 : Bits.max >> length
        guard value & hostMask == 0 else {
            let start = Self.address(value & ~hostMask, like: prefix)
            throw IPAddressParseError(
                .hostBitsSet,
                message: "\(quoted) is not a CIDR block: the address has bits set after the first \(length) (the block is \(start)/\(length))"
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
}
