import Glibc

/// A non-blocking IPv4 UDP socket: a bare file descriptor with the few calls the bench needs.
///
/// Owned explicitly: whoever opens one closes it with ``close()``. Kept as a value so the data
/// path can hand descriptors to worker threads without reference counting.
struct UDPSocket: Hashable, Sendable {
    /// The file descriptor.
    let fd: Int32

    /// Opens a non-blocking UDP socket bound to `local` (port 0 picks a free port).
    ///
    /// - Parameters:
    ///   - local: the address and port to bind.
    ///   - bufferBytes: the receive and send buffer size to ask for, or nil for the default.
    /// - Throws: ``BenchError`` naming the cause: descriptor limit, no free port, or the address.
    static func open(bindTo local: IPv4Endpoint, bufferBytes: Int32? = nil) throws(BenchError) -> UDPSocket {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw Self.error("socket()", errno) }
        let sock = UDPSocket(fd: fd)
        guard fcntl(fd, F_SETFL, O_NONBLOCK) == 0 else {
            let code = errno
            sock.close()
            throw Self.error("fcntl(O_NONBLOCK)", code)
        }
        if let bufferBytes {
            sock.setOption(SO_RCVBUF, bufferBytes)
            sock.setOption(SO_SNDBUF, bufferBytes)
        }
        var address = local.sockaddr
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            let code = errno
            sock.close()
            throw Self.error("bind(\(local))", code)
        }
        return sock
    }

    /// Connects the socket to `remote`, so plain sends go there and only its datagrams arrive.
    func connect(to remote: IPv4Endpoint) throws(BenchError) {
        var address = remote.sockaddr
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(self.fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else { throw Self.error("connect(\(remote))", errno) }
    }

    /// The locally bound address.
    func localEndpoint() throws(BenchError) -> IPv4Endpoint {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let rc = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(self.fd, $0, &length) }
        }
        guard rc == 0 else { throw Self.error("getsockname", errno) }
        return IPv4Endpoint(address)
    }

    /// Sends one datagram on a connected socket; false when the kernel refused it (buffer full).
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Glibc.send(self.fd, $0.baseAddress, $0.count, 0) } == bytes.count
    }

    /// Sends one datagram to `remote` on an unconnected socket; false when refused.
    @discardableResult
    func send(_ bytes: [UInt8], to remote: IPv4Endpoint) -> Bool {
        var address = remote.sockaddr
        let sent = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(self.fd, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        return sent == bytes.count
    }

    /// Receives one datagram into `buffer`; returns its length, or nil when none is waiting.
    func receive(into buffer: inout [UInt8]) -> Int? {
        let count = buffer.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
        return count >= 0 ? count : nil
    }

    /// Closes the descriptor.
    func close() { _ = Glibc.close(self.fd) }

    private func setOption(_ option: Int32, _ value: Int32) {
        var value = value
        _ = setsockopt(self.fd, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Words an errno for the user, with the fixes for the two limits a bench run hits.
    static func error(_ call: String, _ code: Int32) -> BenchError {
        let text = String(cString: strerror(code))
        switch code {
        case EMFILE, ENFILE:
            var limit = rlimit()
            getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            return BenchError("\(call): \(text): out of file descriptors (limit \(limit.rlim_cur)); raise `ulimit -n`")
        case EADDRINUSE, EADDRNOTAVAIL:
            return BenchError("\(call): \(text): no free local port or address (port exhaustion?)")
        default:
            return BenchError("\(call): \(text)")
        }
    }
}
