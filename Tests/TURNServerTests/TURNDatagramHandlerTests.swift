import CoreMetrics
import Logging
import NIOCore
import NIOEmbedded
import STUNWire
import TURNAuth
import TURNCore
import TURNMetrics
import Testing
@testable import TURNServer

/// The UDP listener's handler, fed through an `EmbeddedChannel`; its answers go out of a real
/// loopback socket to a real client socket.
struct TURNDatagramHandlerTests {
    struct Fixture {
        var channel: EmbeddedChannel
        var client: UDPTestSocket

        /// Delivers `bytes` as if `client` had sent them from `source` (default: its own address).
        func receive(_ bytes: [UInt8], from source: STUNTransportAddress? = nil) throws {
            let source = try SocketAddress(source ?? self.client.address)
            var data = self.channel.allocator.buffer(capacity: bytes.count + 64)
            data.writeBytes(bytes)
            try self.channel.writeInbound(AddressedEnvelope(remoteAddress: source, data: data))
            self.channel.pipeline.fireChannelReadComplete()
        }
    }

    static func makeFixture() throws -> Fixture {
        let metrics = RelayMetrics(factory: NOOPMetricsHandler.instance, ignoreReasons: TURNServerService.ignoreReasons, errorCodes: [400])
        let channel = EmbeddedChannel()
        var relay = RelayConfiguration()
        relay.softwareName = "t"
        let processor = TURNRequestProcessor(
            configuration: relay,
            authenticator: LongTermAuthenticator(realm: "test", store: CredentialStore(), issuer: NonceIssuer(key: Array(repeating: 1, count: 32))),
            quotas: QuotaLedger()
        )
        let loop = RelayLoop(
            eventLoop: channel.embeddedEventLoop,
            processor: processor,
            pool: RelayPortPool(range: 49152...65535),
            metrics: metrics,
            logger: Logger(label: "test")
        )
        let sender = try DatagramOutboxTests.sender()
        channel.localAddress = try SocketAddress(ipAddress: "127.0.0.1", port: 3478)
        try channel.pipeline.syncOperations.addHandler(TURNDatagramHandler(loop: loop, sender: sender))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        return Fixture(channel: channel, client: try UDPTestSocket())
    }

    @Test func answersABindingRequestToItsSender() throws {
        let fixture = try Self.makeFixture()
        let request = STUNMessage(type: .init(method: .binding, messageClass: .request), transactionID: .init(high: 9, low: 9))
        try fixture.receive(request.serialize())
        let response = try STUNMessage(parsing: try #require(fixture.client.receive()))
        #expect(try response.attribute(XORMappedAddress.self)?.address == fixture.client.address)
        #expect(try response.attribute(Software.self)?.text == "t")
        _ = try fixture.channel.finish()
    }

    @Test func challengesAnAllocateWithoutCredentials() throws {
        let fixture = try Self.makeFixture()
        var request = STUNMessage(type: .init(method: .allocate, messageClass: .request), transactionID: .init(high: 1, low: 2))
        request.append(RequestedTransport.udp)
        try fixture.receive(request.serialize())
        let response = try STUNMessage(parsing: try #require(fixture.client.receive()))
        #expect(try response.attribute(ErrorCodeAttribute.self)?.code == .unauthorized)
        #expect(try response.attribute(Realm.self)?.text == "test")
        #expect(try response.attribute(Nonce.self) != nil)
        _ = try fixture.channel.finish()
    }

    @Test func dropsChannelDataWithoutAnAllocation() throws {
        let fixture = try Self.makeFixture()
        var bytes: [UInt8] = []
        ChannelDataHeader.serialize(channelNumber: 0x4000, data: [1, 2, 3], padded: false, into: &bytes)
        try fixture.receive(bytes)
        try fixture.receive([1, 2, 3])
        #expect(fixture.client.receive() == nil)
        _ = try fixture.channel.finish()
    }

    @Test func dropsADatagramFromSourcePortZeroAndKeepsServing() throws {
        let fixture = try Self.makeFixture()
        let request = STUNMessage(type: .init(method: .binding, messageClass: .request), transactionID: .init(high: 3, low: 3))
        try fixture.receive(request.serialize(), from: STUNTransportAddress(address: fixture.client.address.address, port: 0))
        try fixture.receive(request.serialize())
        #expect(fixture.client.receiveAll().count == 1)
        #expect(fixture.channel.isActive)
        _ = try fixture.channel.finish()
    }

    @Test func dropsADatagramThatFilledItsReceiveSlot() throws {
        let fixture = try Self.makeFixture()
        let request = STUNMessage(type: .init(method: .binding, messageClass: .request), transactionID: .init(high: 4, low: 4))
        let bytes = request.serialize()
        var full = fixture.channel.allocator.buffer(capacity: bytes.count)
        full.writeBytes(bytes)
        let cut = try #require(full.getSlice(at: 0, length: bytes.count))
        #expect(DatagramChannelFactory.isPossiblyTruncated(cut))
        try fixture.channel.writeInbound(AddressedEnvelope(remoteAddress: try SocketAddress(fixture.client.address), data: cut))
        fixture.channel.pipeline.fireChannelReadComplete()
        #expect(fixture.client.receive() == nil)
        _ = try fixture.channel.finish()
    }
}
