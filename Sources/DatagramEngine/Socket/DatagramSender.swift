#if canImport(Glibc)
package import Glibc
#endif
import CDatagramCalls
import Synchronization

/// The sending half of a UDP socket the relay opened itself (a listener or a relay socket).
///
/// The relay creates and binds each UDP socket (``open(boundTo:options:)``); whoever reads it
/// (a ``DatagramEngine``, or NIO for the relay sockets of TCP clients) closes it, and this
/// object is the only way the relay sends through it. A send error is only counted (see
/// ``DatagramOutbox``), whatever the errno, and the socket lives on.
///
/// ``close()`` retires the sender: sends after it are dropped. The reader retires it in the
/// same call that closes the descriptor, on the socket's thread, the only thread that sends
/// through it: no send can reach another socket that reuses the number.
package final class DatagramSender: Sendable {
    /// The socket's descriptor (its reader closes it).
    package let descriptor: CInt
    private let retired = Atomic<Bool>(false)

    private init(descriptor: CInt) {
        self.descriptor = descriptor
    }

    /// Whether sends may still use ``descriptor``.
    package var isOpen: Bool { !self.retired.load(ordering: .relaxed) }

    /// Retires the sender; sends after this are dropped. The descriptor is the reader's to close.
    package func close() {
        self.retired.store(true, ordering: .relaxed)
    }

    /// What a socket is set up with before it is bound.
    package struct Options: Sendable {
        /// `SO_REUSEPORT`: one listener socket per event loop on the same port.
        package var reusePort = false
        /// `IP_MTU_DISCOVER`/`IPV6_DONTFRAG`: the DONT-FRAGMENT attribute (RFC 8656 Section 14.8).
        package var dontFragment = false
        /// `SO_RCVBUF` and `SO_SNDBUF` in bytes (the kernel caps them at `rmem_max` and
        /// `wmem_max`); 0 for the system's default.
        package var bufferSize = 0

        /// Options for a socket.
        package init(reusePort: Bool = false, dontFragment: Bool = false, bufferSize: Int = 0) {
            self.reusePort = reusePort
            self.dontFragment = dontFragment
            self.bufferSize = bufferSize
        }
    }

    /// Opens a non-blocking UDP socket bound to `address`. IPv6 sockets are IPv6-only.
    ///
    /// - Returns: the sender of the new socket; whoever reads its ``descriptor`` closes it.
    /// - Throws: ``DatagramSocketError`` naming the call and its errno; nothing is left open.
    package static func open(boundTo address: SocketAddressStorage, options: Options) throws(DatagramSocketError) -> DatagramSender {
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
            if options.bufferSize > 0 {
                // Best effort, as coturn: a size above the system's maximum is capped, not refused.
                var size = CInt(clamping: options.bufferSize)
                _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<CInt>.size))
                _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<CInt>.size))
            }
            let bound = address.withSockaddr { bind(descriptor, $0, $1) }
            guard bound == 0 else { throw DatagramSocketError(call: "bind", errno: errno) }
            return DatagramSender(descriptor: descriptor)
        } catch {
            _ = Glibc.close(descriptor)
            throw error
        }
    }

    /// The receive buffer the kernel granted, in the units `SO_RCVBUF` is set in (Linux
    /// reports twice the size it was given, for its own bookkeeping; this is halved back).
    package var receiveBufferSize: Int {
        var size: CInt = 0
        var length = socklen_t(MemoryLayout<CInt>.size)
        guard getsockopt(self.descriptor, SOL_SOCKET, SO_RCVBUF, &size, &length) == 0 else { return 0 }
        return Int(size) / 2
    }

    /// Binds a socket to `address` without `SO_REUSEPORT` and closes it again: this fails
    /// when anyone holds the port, even a server that shares ports with `SO_REUSEPORT`.
    ///
    /// - Throws: ``DatagramSocketError`` (`EADDRINUSE` when the port is taken).
    package static func probe(_ address: SocketAddressStorage) throws(DatagramSocketError) {
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
package struct DatagramSocketError: Error, CustomStringConvertible {
    /// The system call that failed.
    package var call: String
    /// Its errno.
    package var errno: CInt

    package var description: String { "\(self.call): \(String(cString: strerror(self.errno)))" }
}
