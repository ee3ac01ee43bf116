import CoreMetrics
import NIOCore
import NIOEmbedded
import STUNWire
import Testing
import TURNCore
import TURNMetrics
@testable import TURNServer
import Logging

struct STUNDatagramHandlerTests {
    static func makeChannel() throws -> EmbeddedChannel {
        let metrics = RelayMetrics(factory: NOOPMetricsHandler.instance, ignoreReasons: TURNServerService.ignoreReasons, errorCodes: [400])
        let handler = STUNDatagramHandler(
            responder: BindingResponder(configuration: .init(softwareName: "t")),
            metrics: metrics,
            logger: Logger(label: "test")
        )
        return EmbeddedChannel(handler: handler)
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
        _ = try channel.finish()
    }

    @Test func sendsNothingForGarbage() throws {
        let channel = try Self.makeChannel()
        let client = try SocketAddress(ipAddress: "::1", port: 5000)
        try channel.writeInbound(AddressedEnvelope(remoteAddress: client, data: channel.allocator.buffer(bytes: [1, 2, 3])))
        #expect(try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) == nil)
        _ = try channel.finish()
    }
}
