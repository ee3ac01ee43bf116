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

struct TURNDatagramHandlerTests {
    static func makeChannel() throws -> EmbeddedChannel {
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
        channel.localAddress = try SocketAddress(ipAddress: "192.0.2.1", port: 3478)
        try channel.pipeline.syncOperations.addHandler(TURNDatagramHandler(loop: loop))
        try channel.connect(to: SocketAddress(ipAddress: "192.0.2.2", port: 9)).wait()
        return channel
    }

    @Test func answersABindingRequestToItsSender() throws {
        let channel = try Self.makeChannel()
        let client = try SocketAddress(ipAddress: "198.51.100.7", port: 61_000)
        let request = STUNMessage(type: .init(method: .binding, messageClass: .request), transactionID: .init(high: 9, low: 9))
        try channel.writeInbound(AddressedEnvelope(remoteAddress: client, data: channel.allocator.buffer(bytes: request.serialize())))
        let envelope = try #require(try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self))
        #expect(envelope.remoteAddress == client)
        let response = try STUNMessage(parsing: Array(envelope.data.readableBytesView))
        #expect(try response.attribute(XORMappedAddress.self)?.address.description == "198.51.100.7:61000")
        #expect(try response.attribute(Software.self)?.text == "t")
        _ = try channel.finish()
    }

    @Test func challengesAnAllocateWithoutCredentials() throws {
        let channel = try Self.makeChannel()
        let client = try SocketAddress(ipAddress: "198.51.100.7", port: 61_000)
        var request = STUNMessage(type: .init(method: .allocate, messageClass: .request), transactionID: .init(high: 1, low: 2))
        request.append(RequestedTransport.udp)
        try channel.writeInbound(AddressedEnvelope(remoteAddress: client, data: channel.allocator.buffer(bytes: request.serialize())))
        let envelope = try #require(try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self))
        let response = try STUNMessage(parsing: Array(envelope.data.readableBytesView))
        #expect(try response.attribute(ErrorCodeAttribute.self)?.code == .unauthorized)
        #expect(try response.attribute(Realm.self)?.text == "test")
        #expect(try response.attribute(Nonce.self) != nil)
        _ = try channel.finish()
    }

    @Test func dropsChannelDataWithoutAnAllocation() throws {
        let channel = try Self.makeChannel()
        let client = try SocketAddress(ipAddress: "::1", port: 5000)
        var bytes: [UInt8] = []
        ChannelDataHeader.serialize(channelNumber: 0x4000, data: [1, 2, 3], padded: false, into: &bytes)
        try channel.writeInbound(AddressedEnvelope(remoteAddress: client, data: channel.allocator.buffer(bytes: bytes)))
        try channel.writeInbound(AddressedEnvelope(remoteAddress: client, data: channel.allocator.buffer(bytes: [1, 2, 3])))
        #expect(try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) == nil)
        _ = try channel.finish()
    }
}
