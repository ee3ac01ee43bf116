#if canImport(Glibc)
import Glibc

private let systemConnect = Glibc.connect
private let systemListen = Glibc.listen
private let systemAccept = Glibc.accept
private let systemSend = Glibc.send
private let systemReceive = Glibc.recv
private let systemClose = Glibc.close
private let streamSocket = Int32(SOCK_STREAM.rawValue)
#elseif canImport(Darwin)
import Darwin

private let systemConnect = Darwin.connect
private let systemListen = Darwin.listen
private let systemAccept = Darwin.accept
private let systemSend = Darwin.send
private let systemReceive = Darwin.recv
private let systemClose = Darwin.close
private let streamSocket = SOCK_STREAM
#endif
import STUNWire

/// A blocking IPv4 TCP socket for loopback tests, with a receive timeout so a test fails
/// instead of hanging.
final class TCPTestSocket: Sendable {
    let fd: Int32

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(fd: Int32) {
        self.fd = fd
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// A connection to 127.0.0.1:`port`.
    static func connect(port: UInt16) throws -> TCPTestSocket {
        let fd = socket(AF_INET, streamSocket, 0)
        guard fd >= 0 else { throw Failure(description: "socket") }
        var address = Self.loopback(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { systemConnect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            _ = systemClose(fd)
            throw Failure(description: "connect to \(port): errno \(errno)")
        }
        return TCPTestSocket(fd: fd)
    }

    /// A listening socket on 127.0.0.1 and an ephemeral port.
    static func listen() throws -> (TCPTestSocket, UInt16) {
        let fd = socket(AF_INET, streamSocket, 0)
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, systemListen(fd, 16) == 0 else { throw Failure(description: "bind/listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (TCPTestSocket(fd: fd), UInt16(bigEndian: address.sin_port))
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    /// Accepts one connection.
    func accept() throws -> TCPTestSocket {
        var fd = systemAccept(self.fd, nil, nil)
        while fd < 0, errno == EINTR { fd = systemAccept(self.fd, nil, nil) }
        guard fd >= 0 else { throw Failure(description: "accept: errno \(errno)") }
        return TCPTestSocket(fd: fd)
    }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { systemSend(self.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw Failure(description: "send: errno \(errno)") }
            sent += count
        }
    }

    /// Up to `max` bytes; empty at end of stream. A signal the test process receives (a child
    /// process exiting) interrupts a receive with a timeout whatever SA_RESTART says: it is
    /// retried.
    func receive(max: Int = 65_536) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max)
        var count = buffer.withUnsafeMutableBytes { systemReceive(self.fd, $0.baseAddress, max, 0) }
        while count < 0, errno == EINTR {
            count = buffer.withUnsafeMutableBytes { systemReceive(self.fd, $0.baseAddress, max, 0) }
        }
        guard count >= 0 else { throw Failure(description: "recv: errno \(errno)") }
        return Array(buffer.prefix(count))
    }

    /// Exactly `count` bytes.
    func receive(exactly count: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        while out.count < count {
            let chunk = try self.receive(max: count - out.count)
            guard !chunk.isEmpty else { throw Failure(description: "end of stream after \(out.count) of \(count) bytes") }
            out += chunk
        }
        return out
    }

    /// One STUN message from the stream.
    func receiveMessage() throws -> STUNMessage {
        let header = try self.receive(exactly: 20)
        let length = Int(header[2]) << 8 | Int(header[3])
        return try STUNMessage(parsing: header + (try self.receive(exactly: length)))
    }

    func shutdownOutput() { _ = shutdown(self.fd, Int32(SHUT_WR)) }

    func close() { _ = systemClose(self.fd) }
}
