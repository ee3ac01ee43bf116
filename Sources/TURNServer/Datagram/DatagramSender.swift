#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The sending half of a UDP socket the relay opened itself (a listener or a relay socket).
///
/// The relay creates and binds each UDP socket (``open(boundTo:options:)``) and hands the
/// descriptor to NIO, which reads from it and closes it; this object is the only way the relay
/// sends through it. Sends therefore never pass through NIO's pending writes, which close a
/// datagram channel on any `sendmsg` error but two: here a send error is only counted (see
/// ``DatagramOutbox``), whatever the errno, and the socket lives on. One descriptor per
/// socket, as before: the open-files limit bounds allocations no more than it did.
///
/// ``close()`` retires the sender: sends after it are dropped. ``DatagramSenderHandler``
/// retires it when its channel goes inactive, which NIO signals in the same call that closes
/// the descriptor, on the socket's event loop, the only thread that sends through it: no send
/// can reach another socket that reuses the number.
final class DatagramSender: Sendable {
    /// The socket's descriptor (NIO owns and closes it).
    let descriptor: CInt
    private let retired = Atomic<Bool>(false)

    private init(descriptor: CInt) {
        self.descriptor = descriptor
    }

    /// Whether sends may still use ``descriptor``.
    var isOpen: Bool { !self.retired.load(ordering: .relaxed) }

    /// Retires the sender; sends after this are dropped. The descriptor is NIO's to close.
    func close() {
        self.retired.store(true, ordering: .relaxed)
    }

    /// What a socket is set up with before it is bound.
    struct Options: Sendable {
        /// `SO_REUSEPORT`: one listener socket per event loop on the same port.
        var reusePort = false
        /// `IP_MTU_DISCOVER`/`IPV6_DONTFRAG`: the DONT-FRAGMENT attribute (RFC 8656 Section 14.8).
        var dontFragment = false
    }

    /// Opens a non-blocking UDP socket bound to `address`. IPv6 sockets are IPv6-only.
    ///
    /// - Returns: the sender of the new socket; whoever takes its ``descriptor`` (NIO) closes it.
    /// - Throws: ``DatagramSocketError`` naming the call and its errno; nothing is left open.
    static func open(boundTo address: SocketAddressStorage, options: Options) throws(DatagramSocketError) -> DatagramSender {
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let descriptor = socket(family, CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_NONBLOCK.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw DatagramSocketError(call: "socket", errno: errno) }
        do throws(DatagramSocketError) {
            if options.reusePort {
                try Self.set(descriptor, SOL_SOCKET, SO_REUSEPORT, 1)
            }
            if address.isIPv6 {
                try Self.set(descriptor, CInt(IPPROTO_IPV6), IPV6_V6ONLY, 1)
                if options.dontFragment { try Self.set(descriptor, CInt(IPPROTO_IPV6), IPV6_DONTFRAG, 1) }
            } else if options.dontFragment {
                try Self.set(descriptor, CInt(IPPROTO_IP), IP_MTU_DISCOVER, CInt(IP_PMTUDISC_DO))
            }
            let bound = address.withSockaddr { bind(descriptor, $0, $1) }
            guard bound == 0 else { throw DatagramSocketError(call: "bind", errno: errno) }
            return DatagramSender(descriptor: descriptor)
        } catch {
            _ = Glibc.close(descriptor)
            throw error
        }
    }

    /// Binds a socket to `address` without `SO_REUSEPORT` and closes it again: this fails
    /// when anyone holds the port, even a server that shares ports with `SO_REUSEPORT`.
    ///
    /// - Throws: ``DatagramSocketError`` (`EADDRINUSE` when the port is taken).
    static func probe(_ address: SocketAddressStorage) throws(DatagramSocketError) {
        let probe = try Self.open(boundTo: address, options: Options())
        _ = Glibc.close(probe.descriptor)
    }

    private static func set(_ descriptor: CInt, _ level: CInt, _ name: CInt, _ value: CInt) throws(DatagramSocketError) {
        var value = value
        guard setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<CInt>.size)) == 0 else {
            throw DatagramSocketError(call: "setsockopt", errno: errno)
        }
    }
}

/// A UDP socket could not be opened or bound.
struct DatagramSocketError: Error, CustomStringConvertible {
    /// The system call that failed.
    var call: String
    /// Its errno.
    var errno: CInt

    var description: String { "\(self.call): \(String(cString: strerror(self.errno)))" }
}
