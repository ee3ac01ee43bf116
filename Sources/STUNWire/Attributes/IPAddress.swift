/// An IPv4 or IPv6 address as STUN carries it, with no dependency on a socket library.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// An IPv4 address, host-order value of the four network-order bytes.
    case v4(UInt32)
    /// An IPv6 address: the first and last eight network-order bytes as host-order values.
    case v6(high: UInt64, low: UInt64)

    /// The address family.
    public var family: STUNAddressFamily {
        switch self {
        case .v4: .ipv4
        case .v6: .ipv6
        }
    }

    /// The address in network byte order: 4 or 16 bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        switch self {
        case .v4(let value):
            out.appendBigEndian(value)
        case .v6(let high, let low):
            out.appendBigEndian(high)
            out.appendBigEndian(low)
        }
        return out
    }

    /// Creates an address from 4 (IPv4) or 16 (IPv6) network-order bytes; nil for other counts.
    public init?(bytes: some Collection<UInt8>) {
        switch bytes.count {
        case 4:
            guard let value = bytes.readUInt32() else { return nil }
            self = .v4(value)
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
