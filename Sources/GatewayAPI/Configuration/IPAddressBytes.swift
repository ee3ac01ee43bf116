#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Conversions between IP address text and network-order bytes.
enum IPAddressBytes {
    /// Parses an IPv4 or IPv6 address (an IPv6 zone suffix `%eth0` is ignored) into 4 or 16
    /// bytes, IPv4-mapped IPv6 addresses normalised to 4 bytes; nil when malformed.
    static func parse(_ text: some StringProtocol) -> [UInt8]? {
        let host = text.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard !host.isEmpty, host.count <= 45 else { return nil }
        let literal = String(host)
        if literal.contains(":") {
            var address = in6_addr()
            guard inet_pton(AF_INET6, literal, &address) == 1 else { return nil }
            let bytes = withUnsafeBytes(of: &address) { Array($0) }
            return Self.normalise(bytes)
        }
        var address = in_addr()
        guard inet_pton(AF_INET, literal, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    /// Turns an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) into its 4 IPv4 bytes.
    static func normalise(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF else {
            return bytes
        }
        return Array(bytes[12..<16])
    }

    /// Text for 4 or 16 bytes: dotted quad, or eight hexadecimal groups.
    static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: bytes.count, by: 2).map { index in
            String(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]), radix: 16)
        }.joined(separator: ":")
    }
}
