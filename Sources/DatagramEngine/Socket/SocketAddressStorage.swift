#if canImport(Glibc)
package import Glibc
#endif
package import STUNWire

/// A `sockaddr_in` or `sockaddr_in6` built straight from a ``STUNTransportAddress``: no
/// string, no allocation, so the data path can address every datagram with it.
package struct SocketAddressStorage {
    private var storage = sockaddr_storage()
    /// Whether it holds an IPv6 address.
    package let isIPv6: Bool

    /// The socket address of `address`.
    package init(_ address: STUNTransportAddress) {
        switch address.address {
        case .v4(let value):
            self.isIPv6 = false
            withUnsafeMutableBytes(of: &self.storage) { raw in
                var socketAddress = sockaddr_in()
                socketAddress.sin_family = sa_family_t(AF_INET)
                socketAddress.sin_port = address.port.bigEndian
                socketAddress.sin_addr.s_addr = value.bigEndian
                raw.storeBytes(of: socketAddress, as: sockaddr_in.self)
            }
        case .v6(let high, let low):
            self.isIPv6 = true
            withUnsafeMutableBytes(of: &self.storage) { raw in
                var socketAddress = sockaddr_in6()
                socketAddress.sin6_family = sa_family_t(AF_INET6)
                socketAddress.sin6_port = address.port.bigEndian
                withUnsafeMutableBytes(of: &socketAddress.sin6_addr) { bytes in
                    bytes.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
                    bytes.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
                }
                raw.storeBytes(of: socketAddress, as: sockaddr_in6.self)
            }
        }
    }

    /// The length `sendmsg` and `bind` take.
    package var length: socklen_t {
        socklen_t(self.isIPv6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
    }

    /// Copies the address into `target`; returns its length.
    package func copy(into target: UnsafeMutablePointer<sockaddr_storage>) -> socklen_t {
        target.pointee = self.storage
        return self.length
    }

    /// Calls `body` with a `sockaddr` pointer and its length.
    package func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafePointer(to: self.storage) { storage in
            storage.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, self.length) }
        }
    }

    /// The transport address of a `sockaddr_in` or `sockaddr_in6` the kernel wrote (a
    /// datagram's source), or nil for another family or a short length.
    package static func transportAddress(at name: UnsafeRawPointer, length: Int) -> STUNTransportAddress? {
        switch Int32(name.load(as: sa_family_t.self)) {
        case AF_INET where length >= MemoryLayout<sockaddr_in>.size:
            let address = name.loadUnaligned(as: sockaddr_in.self)
            return STUNTransportAddress(address: .v4(UInt32(bigEndian: address.sin_addr.s_addr)), port: UInt16(bigEndian: address.sin_port))
        case AF_INET6 where length >= MemoryLayout<sockaddr_in6>.size:
            let port = UInt16(bigEndian: name.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
            let high = UInt64(bigEndian: name.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            let low = UInt64(bigEndian: name.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
            return STUNTransportAddress(address: .v6(high: high, low: low), port: port)
        default:
            return nil
        }
    }
}
