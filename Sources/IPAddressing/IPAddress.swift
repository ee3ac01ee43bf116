/// An IPv4 or IPv6 address, with no dependency on a socket library.
///
/// The one address type of the project: STUN carries it in its address attributes, the peer
/// policy judges it, and the configuration and the gateway's IP rules parse it
/// (``init(parsing:zoneIdentifiers:)``) and group it into ``IPAddressRange``s.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// An IPv4 address, host-order value of the four network-order bytes.
    case v4(UInt32)
    /// An IPv6 address: the first and last eight network-order bytes as host-order values.
    case v6(high: UInt64, low: UInt64)

    /// Whether this is an IPv4 address (an IPv4-mapped IPv6 address is not; see ``unmapped``).
    public var isIPv4: Bool {
        if case .v4 = self { return true }
        return false
    }

    /// The address in network byte order: 4 or 16 bytes.
    public var bytes: [UInt8] {
        switch self {
        case .v4(let value):
            return Self.bigEndianBytes(value)
        case .v6(let high, let low):
            return Self.bigEndianBytes(high) + Self.bigEndianBytes(low)
        }
    }

    /// Creates an address from 4 (IPv4) or 16 (IPv6) network-order bytes; nil for other counts.
    public init?(bytes: some Collection<UInt8>) {
        switch bytes.count {
        case 4:
            self = .v4(bytes.reduce(0) { $0 << 8 | UInt32($1) })
        case 16:
            var high: UInt64 = 0
            var low: UInt64 = 0
            for (index, byte) in bytes.enumerated() {
                if index < 8 {
                    high = high << 8 | UInt64(byte)
                } else {
                    low = low << 8 | UInt64(byte)
                }
            }
            self = .v6(high: high, low: low)
        default:
            return nil
        }
    }

    /// Dotted-quad for IPv4; RFC 5952 text (lower case, longest zero run as `::`) for IPv6.
    public var description: String {
        switch self {
        case .v4(let value):
            return [24, 16, 8, 0].map { String((value >> $0) & 0xFF) }.joined(separator: ".")
        case .v6(let high, let low):
            let groups: [UInt16] = (0..<8).map { index in
                let half = index < 4 ? high : low
                return UInt16(truncatingIfNeeded: half >> (UInt64(3 - index % 4) * 16))
            }
            return Self.ipv6Text(groups)
        }
    }

    private static func bigEndianBytes<Value: FixedWidthInteger>(_ value: Value) -> [UInt8] {
        stride(from: Value.bitWidth - 8, through: 0, by: -8).map { UInt8(truncatingIfNeeded: value >> $0) }
    }

    private static func ipv6Text(_ groups: [UInt16]) -> String {
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < groups.count {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            let start = index
            while index < groups.count, groups[index] == 0 { index += 1 }
            if index - start > bestLength, index - start >= 2 {
                bestStart = start
                bestLength = index - start
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestStart >= 0 else { return hex.joined(separator: ":") }
        let head = hex[0..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}
