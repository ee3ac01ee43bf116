#if canImport(Glibc)
import Glibc
#endif
import CoreMetrics
import DatagramEngine
import Logging
import NIOCore
import STUNWire
import TURNAuth
import TURNCore
import TURNMetrics
import Testing
@testable import TURNServer

/// A relay loop hosted on a real engine (each backend), serving one listener socket on
/// loopback; a real client socket talks to it.
@Suite(.serialized)
struct EngineListenerTests {
    struct Fixture: Sendable {
        var engine: DatagramEngine
        var eventLoop: EngineEventLoop
        var listener: STUNTransportAddress
        var bound: NIOLoopBound<RelayLoop>
    }

    static let backends: [DatagramEngine.Choice] = [.epoll, .ioUring]

    static func makeFixture(_ choice: DatagramEngine.Choice) async throws -> Fixture {
        let engine = try DatagramEngine(choice: choice)
        try engine.start()
        let eventLoop = EngineEventLoop(engine: engine)
        let (bound, listener) = try await eventLoop.submit {
            var relay = RelayConfiguration()
            relay.softwareName = "t"
            let processor = TURNRequestProcessor(
                configuration: relay,
                authenticator: LongTermAuthenticator(realm: "test", store: CredentialStore(), issuer: NonceIssuer(key: Array(repeating: 1, count: 32))),
                quotas: QuotaLedger()
            )
            let loop = RelayLoop(
                eventLoop: eventLoop,
                engine: engine,
                processor: processor,
                pool: RelayPortPool(range: 49152...65535),
                metrics: RelayMetrics(factory: NOOPMetricsHandler.instance, ignoreReasons: TURNServerService.ignoreReasons, errorCodes: [400]),
                logger: Logger(label: "test")
            )
            engine.turnEnded = { loop.flush() }
            let socket = try engine.open(
                STUNTransportAddress(address: .v4(0x7F00_0001), port: 0), options: .init(), role: .listener, receiver: EngineListener(loop: loop))
            return (NIOLoopBound(loop, eventLoop: eventLoop), try Self.localAddress(of: socket.sender.descriptor))
        }.get()
        return Fixture(engine: engine, eventLoop: eventLoop, listener: listener, bound: bound)
    }

    static func stop(_ fixture: Fixture) async {
        try? await fixture.eventLoop.submit { fixture.bound.value.shutdown() }.get()
        await withCheckedContinuation { continuation in fixture.engine.stop { continuation.resume() } }
    }

    static func localAddress(of descriptor: CInt) throws -> STUNTransportAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return try #require(withUnsafeBytes(of: storage) { SocketAddressStorage.transportAddress(at: $0.baseAddress!, length: Int(length)) })
    }

    @Test(arguments: backends)
    func answersABindingRequestToItsSender(choice: DatagramEngine.Choice) async throws {
        let fixture = try await Self.makeFixture(choice)
        let client = try UDPTestSocket()
        let request = STUNMessage(type: .init(method: .binding, messageClass: .request), transactionID: .init(high: 9, low: 9))
        client.send(request.serialize(), to: fixture.listener)
        let response = try STUNMessage(parsing: try #require(client.receive()))
        #expect(try response.attribute(XORMappedAddress.self)?.address == client.address)
        #expect(try response.attribute(Software.self)?.text == "t")
        await Self.stop(fixture)
    }

    @Test(arguments: backends)
    func challengesAnAllocateWithoutCredentials(choice: DatagramEngine.Choice) async throws {
        let fixture = try await Self.makeFixture(choice)
        let client = try UDPTestSocket()
        var request = STUNMessage(type: .init(method: .allocate, messageClass: .request), transactionID: .init(high: 1, low: 2))
        request.append(RequestedTransport.udp)
        client.send(request.serialize(), to: fixture.listener)
        let response = try STUNMessage(parsing: try #require(client.receive()))
        #expect(try response.attribute(ErrorCodeAttribute.self)?.code == .unauthorized)
        #expect(try response.attribute(Realm.self)?.text == "test")
        #expect(try response.attribute(Nonce.self) != nil)
        await Self.stop(fixture)
    }

    @Test(arguments: backends)
    func dropsChannelDataWithoutAnAllocationAndKeepsServing(choice: DatagramEngine.Choice) async throws {
        let fixture = try await Self.makeFixture(choice)
        let client = try UDPTestSocket()
        var bytes: [UInt8] = []
        ChannelDataHeader.serialize(channelNumber: 0x4000, data: [1, 2, 3], padded: false, into: &bytes)
        client.send(bytes, to: fixture.listener)
        client.send([1, 2, 3], to: fixture.listener)
        client.send([], to: fixture.listener)
        #expect(client.receive() == nil)
        let request = STUNMessage(type: .init(method: .binding, messageClass: .request), transactionID: .init(high: 5, low: 5))
        client.send(request.serialize(), to: fixture.listener)
        #expect(client.receive() != nil)
        await Self.stop(fixture)
    }

    @Test(arguments: backends)
    func dropsADatagramFromSourcePortZeroAndKeepsServing(choice: DatagramEngine.Choice) async throws {
        let fixture = try await Self.makeFixture(choice)
        let client = try UDPTestSocket()
        let request = STUNMessage(type: .init(method: .binding, messageClass: .request), transactionID: .init(high: 3, low: 3)).serialize()
        let listener = fixture.listener
        let zero = STUNTransportAddress(address: client.address.address, port: 0)
        // No socket sends from port 0: hand the listener such a datagram on the engine's thread.
        try await fixture.eventLoop.submit {
            let socket = try fixture.engine.open(
                STUNTransportAddress(address: .v4(0x7F00_0001), port: 0), options: .init(), role: .listener,
                receiver: EngineListener(loop: fixture.bound.value))
            request.withUnsafeBytes { EngineListener(loop: fixture.bound.value).receive($0, from: zero, on: socket) }
            fixture.engine.close(socket)
        }.get()
        client.send(request, to: listener)
        #expect(client.receiveAll().count == 1)
        await Self.stop(fixture)
    }
}
