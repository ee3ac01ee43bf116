#if canImport(Glibc)
import Glibc
#endif
import DatagramEngine
import Foundation
import STUNWire
import Synchronization
import Testing

/// Echoes every datagram back to its source through the engine's outbox, and counts them.
private final class Echo: DatagramReceiver, @unchecked Sendable {
    let engine: DatagramEngine
    let received = Mutex<[Int]>([])

    init(engine: DatagramEngine) {
        self.engine = engine
    }

    func receive(_ datagram: UnsafeRawBufferPointer, from source: STUNTransportAddress, on socket: DatagramSocket) {
        self.received.withLock { $0.append(datagram.count) }
        self.engine.outbox.enqueue(from: socket.sender, to: source, length: datagram.count) { $0.copyMemory(from: datagram) }
    }
}

/// A plain blocking UDP socket on loopback: the client side of the tests.
private struct Client {
    let descriptor: CInt
    let address: STUNTransportAddress

    init(ipv6: Bool = false) throws {
        let sender = try DatagramSender.open(
            boundTo: SocketAddressStorage(STUNTransportAddress(address: ipv6 ? .v6(high: 0, low: 1) : .v4(0x7F00_0001), port: 0)),
            options: .init())
        self.descriptor = sender.descriptor
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(sender.descriptor, $0, &length) }
        }
        self.address = withUnsafeBytes(of: storage) { SocketAddressStorage.transportAddress(at: $0.baseAddress!, length: Int(length))! }
    }

    func send(_ bytes: [UInt8], to destination: STUNTransportAddress) {
        let storage = SocketAddressStorage(destination)
        _ = storage.withSockaddr { name, length in bytes.withUnsafeBytes { sendto(self.descriptor, $0.baseAddress, $0.count, 0, name, length) } }
    }

    /// The next datagram within two seconds, or nil.
    func receive() -> [UInt8]? {
        var poller = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 2000) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 70_000)
        let count = buffer.withUnsafeMutableBytes { recv(self.descriptor, $0.baseAddress, $0.count, 0) }
        return count >= 0 ? Array(buffer[0..<count]) : nil
    }

    func close() { _ = Glibc.close(self.descriptor) }
}

@Suite("DatagramEngine on loopback", .serialized)
struct DatagramEngineTests {
    static let backends: [DatagramEngine.Choice] = [.epoll, .ioUring]

    /// Runs `body` on the engine's thread and waits for its result.
    private static func onEngine<T: Sendable>(_ engine: DatagramEngine, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            engine.execute { continuation.resume(with: Result { try body() }) }
        }
    }

    private static func start(_ choice: DatagramEngine.Choice) throws -> DatagramEngine {
        let engine = try DatagramEngine(choice: choice)
        #expect(engine.backend.rawValue == choice.rawValue)
        try engine.start()
        return engine
    }

    private static func stop(_ engine: DatagramEngine) async {
        await withCheckedContinuation { continuation in engine.stop { continuation.resume() } }
    }

    @Test("datagrams of every size from 0 to 65,507 bytes arrive whole at a listener and go back out", arguments: backends)
    func echoesWholeDatagrams(choice: DatagramEngine.Choice) async throws {
        let engine = try Self.start(choice)
        let echo = Echo(engine: engine)
        let socket = try await Self.onEngine(engine) {
            try engine.open(STUNTransportAddress(address: .v4(0x7F00_0001), port: 0), options: .init(), role: .listener, receiver: echo)
        }
        let local = try Self.localAddress(of: socket)
        let client = try Client()
        defer { client.close() }
        for size in [0, 1, 20, 200, 1_300, 4_000, 65_507] {
            let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            client.send(payload, to: local)
            #expect(client.receive() == payload, "size \(size)")
        }
        await Self.stop(engine)
        #expect(echo.received.withLock { $0 } == [0, 1, 20, 200, 1_300, 4_000, 65_507])
    }

    @Test("a burst of datagrams on many sockets at once all arrive", arguments: backends)
    func burstOverManySockets(choice: DatagramEngine.Choice) async throws {
        let engine = try Self.start(choice)
        let echo = Echo(engine: engine)
        let sockets = try await Self.onEngine(engine) {
            try (0..<50).map { _ in
                try engine.open(STUNTransportAddress(address: .v4(0x7F00_0001), port: 0), options: .init(), role: .relay, receiver: echo)
            }
        }
        let client = try Client()
        defer { client.close() }
        var size: CInt = 4 << 20
        setsockopt(client.descriptor, SOL_SOCKET, SO_RCVBUFFORCE, &size, socklen_t(MemoryLayout<CInt>.size))
        for socket in sockets {
            let local = try Self.localAddress(of: socket)
            for index in 0..<4 { client.send([UInt8(index), 1, 2, 3], to: local) }
        }
        var echoed = 0
        while echoed < 200, client.receive() != nil { echoed += 1 }
        #expect(echoed == 200)
        let open = try await Self.onEngine(engine) { engine.socketCount }
        #expect(open == 50)
        try await Self.onEngine(engine) { for socket in sockets { engine.close(socket) } }
        #expect(try await Self.onEngine(engine) { engine.socketCount } == 0)
        await Self.stop(engine)
    }

    @Test("a relay socket drops a datagram too large for its buffers whole and counts it (io_uring)")
    func dropsOversizedRelayDatagrams() async throws {
        let engine = try Self.start(.ioUring)
        let echo = Echo(engine: engine)
        let socket = try await Self.onEngine(engine) {
            try engine.open(STUNTransportAddress(address: .v4(0x7F00_0001), port: 0), options: .init(), role: .relay, receiver: echo)
        }
        let local = try Self.localAddress(of: socket)
        let client = try Client()
        defer { client.close() }
        client.send([UInt8](repeating: 9, count: DatagramEngine.relayDatagramLimit + 1), to: local)
        client.send([1, 2, 3], to: local)
        #expect(client.receive() == [1, 2, 3])
        let counters = try await Self.onEngine(engine) { engine.takeCounters() }
        #expect(counters.truncated == 1)
        #expect(echo.received.withLock { $0 } == [3])
        await Self.stop(engine)
    }

    @Test("a send error is counted and the socket keeps serving", arguments: backends)
    func sendErrorsAreCounted(choice: DatagramEngine.Choice) async throws {
        let engine = try Self.start(choice)
        let echo = Echo(engine: engine)
        let socket = try await Self.onEngine(engine) {
            try engine.open(STUNTransportAddress(address: .v4(0x7F00_0001), port: 0), options: .init(), role: .listener, receiver: echo)
        }
        // IPv6 destination from an IPv4 socket: EAFNOSUPPORT (or EINVAL) per datagram.
        try await Self.onEngine(engine) {
            engine.outbox.enqueue(from: socket.sender, to: STUNTransportAddress(address: .v6(high: 0, low: 1), port: 9), length: 3) { $0.copyBytes(from: [1, 2, 3]) }
        }
        let local = try Self.localAddress(of: socket)
        let client = try Client()
        defer { client.close() }
        client.send([4, 5], to: local)
        #expect(client.receive() == [4, 5])
        let errors = try await Self.onEngine(engine) { engine.outbox.errors.count("EAFNOSUPPORT") + engine.outbox.errors.count("EINVAL") }
        #expect(errors == 1)
        await Self.stop(engine)
    }

    @Test("timers run in deadline order on the engine's thread and a cancelled one never runs", arguments: backends)
    func timers(choice: DatagramEngine.Choice) async throws {
        let engine = try Self.start(choice)
        let fired = Mutex<[Int]>([])
        let now = DatagramEngine.monotonicNow()
        _ = engine.schedule(at: now + 30_000_000) { fired.withLock { $0.append(engine.isCurrent ? 3 : -3) } }
        _ = engine.schedule(at: now + 10_000_000) { fired.withLock { $0.append(engine.isCurrent ? 1 : -1) } }
        let cancelled = engine.schedule(at: now + 20_000_000) { fired.withLock { $0.append(2) } }
        engine.cancelTimer(cancelled)
        try await Task.sleep(for: .milliseconds(200))
        #expect(fired.withLock { $0 } == [1, 3])
        #expect(!engine.isCurrent)
        await Self.stop(engine)
    }

    private static func localAddress(of socket: DatagramSocket) throws -> STUNTransportAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(socket.sender.descriptor, $0, &length) }
        }
        return try #require(withUnsafeBytes(of: storage) { SocketAddressStorage.transportAddress(at: $0.baseAddress!, length: Int(length)) })
    }
}
