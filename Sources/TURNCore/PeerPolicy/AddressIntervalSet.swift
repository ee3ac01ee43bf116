import IPAddressing

/// A set of address ranges, sorted and merged so that membership is a binary search.
///
/// Built once from the configured `allowed-peer-ip` or `denied-peer-ip` ranges; lookups
/// allocate nothing.
struct AddressIntervalSet: Sendable {
    private let ipv4: [ClosedRange<UInt32>]
    private let ipv6: [ClosedRange<UInt128>]

    init(_ ranges: [IPAddressRange]) {
        var ipv4: [ClosedRange<UInt32>] = []
        var ipv6: [ClosedRange<UInt128>] = []
        for range in ranges {
            switch range.bounds {
            case .v4(let bounds): ipv4.append(bounds)
            case .v6(let bounds): ipv6.append(bounds)
            }
        }
        self.ipv4 = Self.merged(ipv4)
        self.ipv6 = Self.merged(ipv6)
    }

    /// Whether a range holds the IPv4 address `value`.
    func contains(ipv4 value: UInt32) -> Bool { Self.search(self.ipv4, for: value) }

    /// Whether a range holds the IPv6 address `value`.
    func contains(ipv6 value: UInt128) -> Bool { Self.search(self.ipv6, for: value) }

    /// The ranges sorted, with overlapping and adjacent ones joined.
    private static func merged<Bits: FixedWidthInteger>(_ ranges: [ClosedRange<Bits>]) -> [ClosedRange<Bits>] {
        var result: [ClosedRange<Bits>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            guard let last = result.last,
                last.upperBound == Bits.max || range.lowerBound <= last.upperBound + 1
            else {
                result.append(range)
                continue
            }
            result[result.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
        }
        return result
    }

    /// Whether one of `ranges` (sorted and disjoint) holds `value`.
    private static func search<Bits: Comparable>(_ ranges: [ClosedRange<Bits>], for value: Bits) -> Bool {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = low + (high - low) / 2
            if ranges[middle].lowerBound <= value {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low > 0 && ranges[low - 1].upperBound >= value
    }
}
