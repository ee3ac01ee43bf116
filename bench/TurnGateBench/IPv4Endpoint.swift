import Glibc
import STUNWire

/// An IPv4 address and UDP port, convertible to `sockaddr_in` and to STUNWire's address type.
///
/// The bench is IPv4-only: every server it drives listens on a 127.0.0.x address.
struct IPv4Endpoint: Hashable, Sendable, CustomStringConvertible {
    /// The address as a host-order integer (127.0.0.1 is 0x7F00_0001).
    var address: UInt32
    /// The port.
    var port: UInt16

    /// Creates an endpoint from a host-order address and a port.
    init(address: UInt32, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// Parses `a.b.c.d` with an optional `:port`; `defaultPort` fills a missing port.
    ///
    /// - Throws: ``BenchError`` when the text is not an IPv4 address and port.
    init(parsing text: String, defaultPort: UInt16) throws(BenchError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else {
            throw BenchError("'\(text)' is not an IPv4 address[:port]")
        }
        var inAddr = in_addr()
        guard inet_pton(AF_INET, String(parts[0]), &inAddr) == 1 else {
            throw BenchError("'\(text)' is not an IPv4 address (the bench is IPv4-only)")
        }
        var port = defaultPort
        if parts.count == 2 {
            guard let parsed = UInt16(parts[1]) else { throw BenchError("'\(parts[1])' is not a port") }
            port = parsed
        }
        self.init(address: UInt32(bigEndian: inAddr.s_addr), port: port)
    }

    /// Creates an endpoint from a `sockaddr_in`.
    init(_ sockaddr: sockaddr_in) {
        self.init(address: UInt32(bigEndian: sockaddr.sin_addr.s_addr), port: UInt16(bigEndian: sockaddr.sin_port))
    }

    /// Creates an endpoint from a STUN transport address; nil for IPv6.
    init?(_ transport: STUNTransportAddress) {
        guard case .v4(let address) = transport.address else { return nil }
        self.init(address: address, port: transport.port)
    }

    /// Whether the address is in 127.0.0.0/8.
    var isLoopback: Bool { self.address >> 24 == 127 }

    /// The endpoint as a `sockaddr_in`.
    var sockaddr: sockaddr_in {
        var out = sockaddr_in()
        out.sin_family = sa_family_t(AF_INET)
        out.sin_port = self.port.bigEndian
        out.sin_addr.s_addr = self.address.bigEndian
        return out
    }

    /// The endpoint as STUNWire's transport address.
    var transportAddress: STUNTransportAddress {
        STUNTransportAddress(address: .v4(self.address), port: self.port)
    }

    /// A key that identifies the endpoint in one integer.
    var key: UInt64 { UInt64(self.address) << 16 | UInt64(self.port) }

    var description: String {
        "\(self.address >> 24).\(self.address >> 16 & 0xFF).\(self.address >> 8 & 0xFF).\(self.address & 0xFF):\(self.port)"
    }
}
