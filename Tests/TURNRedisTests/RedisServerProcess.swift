import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A private `redis-server` on a free loopback port, started for one test and stopped after it.
///
/// Started as `redis-server --port P --bind 127.0.0.1 --save "" --appendonly no --daemonize no`
/// (plus `--requirepass` when asked), in the foreground so the test owns the process. It can be
/// killed and started again on the same port to exercise reconnection.
final class RedisServerProcess: @unchecked Sendable {
    // @unchecked: `process` is only touched by the test that owns this value, sequentially.
    let port: Int
    let password: String?
    private var process: Process?

    /// Finds a free port and starts the server, waiting until it answers PING.
    init(password: String? = nil) throws {
        self.port = try Self.freeLoopbackPort()
        self.password = password
        try self.start()
    }

    deinit { self.stop() }

    /// Starts the server (again) on ``port`` and waits for PING (at most 10 s).
    func start() throws {
        let path = try Self.redisServerPath()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        var arguments = [
            "--port", String(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--loglevel", "warning", "--dir", NSTemporaryDirectory(),
        ]
        if let password { arguments += ["--requirepass", password] }
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        try self.waitForPing(deadline: .now + .seconds(10))
    }

    /// Kills the server (SIGKILL) and waits for it to exit.
    func stop() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Polls with a raw RESP `PING` until the server answers `+PONG` (or `-NOAUTH`, which also
    /// proves it is up). Independent of the code under test.
    private func waitForPing(deadline: ContinuousClock.Instant) throws {
        while ContinuousClock.now < deadline {
            if let answer = Self.rawPing(port: self.port), answer.hasPrefix("+PONG") || answer.hasPrefix("-NOAUTH") {
                return
            }
            usleep(20_000)
        }
        throw RedisTestError("redis-server on port \(self.port) did not answer PING within 10 s")
    }

    private static func rawPing(port: Int) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = Self.loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return nil }
        let request = Array("PING\r\n".utf8)
        guard write(fd, request, request.count) == request.count else { return nil }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    /// Binds port 0 on 127.0.0.1 and returns the port the kernel chose.
    static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RedisTestError("socket() failed") }
        defer { close(fd) }
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw RedisTestError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw RedisTestError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    /// The redis-server binary: `REDIS_SERVER` or the first on PATH. Missing is a failure, not a
    /// skip: CI installs it (scripts/install-deps.sh test).
    static func redisServerPath() throws -> String {
        try Self.tool("redis-server", environment: "REDIS_SERVER")
    }

    static func tool(_ name: String, environment: String) throws -> String {
        if let path = ProcessInfo.processInfo.environment[environment] { return path }
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        for directory in directories + ["/usr/bin", "/usr/sbin"] {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw RedisTestError("\(name) not found (install it: scripts/install-deps.sh test)")
    }
}

struct RedisTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
