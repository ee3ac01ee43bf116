import NIOCore
import NIOEmbedded
import STUNWire
import Testing
@testable import TURNServer

struct STUNStreamFrameDecoderTests {
    static let stunFrame: [UInt8] = STUNMessage(
        type: .init(method: .binding, messageClass: .request),
        transactionID: STUNTransactionID(high: 1, low: 2),
        attributes: [STUNAttribute(type: .software, value: Array("abcde".utf8))]
    ).serialize(integrity: nil, fingerprint: true)

    static let channelDataFrame: [UInt8] = {
        var bytes: [UInt8] = []
        ChannelDataHeader.serialize(channelNumber: 0x4001, data: [1, 2, 3, 4, 5], padded: true, into: &bytes)
        return bytes
    }()

    @Test func reassemblesFramesFedOneByteAtATime() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(STUNStreamFrameDecoder()))
        let stream = Self.stunFrame + Self.channelDataFrame + Self.stunFrame
        for byte in stream {
            try channel.writeInbound(channel.allocator.buffer(bytes: [byte]))
        }
        let first = try #require(try channel.readInbound(as: ByteBuffer.self))
        let second = try #require(try channel.readInbound(as: ByteBuffer.self))
        let third = try #require(try channel.readInbound(as: ByteBuffer.self))
        #expect(Array(first.readableBytesView) == Self.stunFrame)
        #expect(Array(second.readableBytesView) == Self.channelDataFrame)
        #expect(Array(third.readableBytesView) == Self.stunFrame)
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        _ = try channel.finish()
    }

    @Test func holdsAHalfReceivedFrame() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(STUNStreamFrameDecoder()))
        try channel.writeInbound(channel.allocator.buffer(bytes: Self.stunFrame.prefix(Self.stunFrame.count - 1)))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        try channel.writeInbound(channel.allocator.buffer(bytes: Self.stunFrame.suffix(1)))
        #expect(try channel.readInbound(as: ByteBuffer.self).map { Array($0.readableBytesView) } == Self.stunFrame)
        _ = try channel.finish()
    }

    @Test func rejectsAStreamThatIsNeitherSTUNNorChannelData() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(STUNStreamFrameDecoder()))
        #expect(throws: STUNParseError.notSTUN) {
            try channel.writeInbound(channel.allocator.buffer(bytes: [0x80, 0, 0, 4, 1, 2, 3, 4]))
        }
    }
}
