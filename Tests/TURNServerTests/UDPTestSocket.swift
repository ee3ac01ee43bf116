#if canImport(Glibc)
import Glibc
#endif
import DatagramEngine
import STUNWire

/// A blocking UDP socket on 127.0.0.1 or ::1 for loopback tests, with a short receive
/// timeout so a test fails (or proves silence) instead of hanging.
final class UDPTestSocket {
    let fd: Int32
    let address: STUNTransportAddress

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A socket bound to an ephemeral port of the loopback address of `family`.
    init(ipv6: Bool = false, timeoutMilliseconds: Int = 500) throws {
        let fd = socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        self.fd = fd
        var timeout = timeval(tv_sec: timeoutMilliseconds / 1000, tv_usec: (timeoutMilliseconds % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var size: Int32 = 8 << 20
        if setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        let loopback: IPAddress = ipv6 ? .v6(high: 0, low: 1) : .v4(0x7F00_0001)
        var storage = sockaddr_storage()
        var length = socklen_t(ipv6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
        withUnsafeMutableBytes(of: &storage) { raw in
            if ipv6 {
                var address = sockaddr_in6()
                address.sin6_family = sa_family_t(AF_INET6)
                address.sin6_addr.__in6_u.__u6_addr8.15 = 1
                raw.storeBytes(of: address, as: sockaddr_in6.self)
            } else {
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
                raw.storeBytes(of: address, as: sockaddr_in.self)
            }
        }
        let bound = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw Failure(description: "bind: \(errno)") }
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw Failure(description: "getsockname: \(errno)") }
        let port = withUnsafeBytes(of: &storage) { raw in
            UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self))
        }
        self.address = STUNTransportAddress(address: loopback, port: port)
    }

    deinit {
        close(self.fd)
    }

    /// The next datagram, or nil when none arrives before the timeout.
    func receive(maximum: Int = 70_000) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: maximum)
        var count = buffer.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, maximum, 0) }
        while count < 0, errno == EINTR {  // a signal (a child process exiting), not a timeout
            count = buffer.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, maximum, 0) }
        }
        guard count >= 0 else { return nil }
        return Array(buffer[0..<count])
    }

    /// Sends `bytes` to `destination`.
    func send(_ bytes: [UInt8], to destination: STUNTransportAddress) {
        _ = SocketAddressStorage(destination).withSockaddr { name, length in
            bytes.withUnsafeBytes { sendto(self.fd, $0.baseAddress, $0.count, 0, name, length) }
        }
    }

    /// Every datagram that arrives until one timeout passes with none.
    func receiveAll() -> [[UInt8]] {
        var all: [[UInt8]] = []
        while let datagram = self.receive() { all.append(datagram) }
        return all
    }
}
