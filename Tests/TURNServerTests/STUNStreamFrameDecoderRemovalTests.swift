import NIOCore
import NIOEmbedded
import STUNWire
import Testing
@testable import TURNServer

/// A ConnectionBind turns a TURN connection into a raw data connection (RFC 6062 Section
/// 5.3): the frame decoder is removed after the ConnectionBind frame, and whatever the client
/// sent after it in the same read must come through as raw bytes, not frames.
struct STUNStreamFrameDecoderRemovalTests {
    /// Removes the decoder when it sees the first frame; passes everything on.
    final class RemoveDecoderOnFirstFrame: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
        var frames = 0

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            self.frames += 1
            if self.frames == 1, let decoder = try? context.pipeline.syncOperations.context(handlerType: ByteToMessageHandler<STUNStreamFrameDecoder>.self) {
                context.pipeline.syncOperations.removeHandler(context: decoder, promise: nil)
            }
            context.fireChannelRead(data)
        }
    }

    @Test func bytesAfterTheLastFrameGoOnRawWhenTheDecoderIsRemoved() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(STUNStreamFrameDecoder()))
        try channel.pipeline.syncOperations.addHandler(RemoveDecoderOnFirstFrame())
        // "hello" would be taken for a ChannelData header (0x68...) by the decoder.
        let raw = Array("hello, peer".utf8)
        try channel.writeInbound(channel.allocator.buffer(bytes: STUNStreamFrameDecoderTests.stunFrame + raw))
        channel.embeddedEventLoop.run()
        let frame = try #require(try channel.readInbound(as: ByteBuffer.self))
        #expect(Array(frame.readableBytesView) == STUNStreamFrameDecoderTests.stunFrame)
        let rest = try #require(try channel.readInbound(as: ByteBuffer.self))
        #expect(Array(rest.readableBytesView) == raw)
        try channel.writeInbound(channel.allocator.buffer(bytes: [0xFF, 0xFF]))
        #expect(try channel.readInbound(as: ByteBuffer.self).map { Array($0.readableBytesView) } == [0xFF, 0xFF])
        _ = try channel.finish()
    }
}
