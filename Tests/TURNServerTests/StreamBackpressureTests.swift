import CoreMetrics
import Logging
import NIOCore
import NIOEmbedded
import STUNWire
import Testing
import TURNMetrics
@testable import TURNServer

/// A client that does not read its answers makes its connection unwritable: from then on
/// nothing more is read or decoded, until the connection drains.
struct StreamBackpressureTests {
    /// Counts the `read` calls that reach the socket.
    final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = NIOAny
        var reads = 0
        func read(context: ChannelHandlerContext) {
            self.reads += 1
            context.read()
        }
    }

    static func pipeline() throws -> (EmbeddedChannel, ReadCounter) {
        let channel = EmbeddedChannel()
        let counter = ReadCounter()
        try channel.pipeline.syncOperations.addHandler(counter)
        try channel.pipeline.syncOperations.addHandler(StreamBackpressureHandler())
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(STUNStreamFrameDecoder()))
        try channel.connect(to: SocketAddress(ipAddress: "192.0.2.1", port: 3478)).wait()
        return (channel, counter)
    }

    @Test func noReadReachesTheSocketWhileUnwritableAndOneDoesAfter() throws {
        let (channel, counter) = try Self.pipeline()
        channel.read()
        #expect(counter.reads == 1)
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        channel.read()
        channel.read()
        #expect(counter.reads == 1)
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        channel.embeddedEventLoop.run()
        #expect(counter.reads == 2)
        _ = try channel.finish()
    }

    @Test func framesReadWhileUnwritableWaitUndecodedUntilTheConnectionDrains() throws {
        let (channel, _) = try Self.pipeline()
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        let frame = STUNStreamFrameDecoderTests.stunFrame
        try channel.writeInbound(channel.allocator.buffer(bytes: frame + frame))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        channel.embeddedEventLoop.run()
        let first = try #require(try channel.readInbound(as: ByteBuffer.self))
        let second = try #require(try channel.readInbound(as: ByteBuffer.self))
        #expect(Array(first.readableBytesView) == frame)
        #expect(Array(second.readableBytesView) == frame)
        _ = try channel.finish()
    }
}

/// Deadlines on a connection, with the embedded loop's clock.
struct StreamDeadlineHandlerTests {
    static let refusals = StreamRefusalLog(
        logger: Logger(label: "test"),
        metrics: RelayMetrics(factory: NOOPMetricsHandler.instance, ignoreReasons: [], errorCodes: []))

    static func connection(_ timeouts: StreamDeadlineStateMachine.Timeouts) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(STUNStreamFrameDecoder()))
        try channel.pipeline.syncOperations.addHandler(StreamDeadlineHandler(timeouts: timeouts, tls: false, refusals: Self.refusals))
        try channel.connect(to: SocketAddress(ipAddress: "192.0.2.1", port: 3478)).wait()
        return channel
    }

    @Test func bytesThatNeverCompleteAFrameDoNotKeepAConnectionOpen() throws {
        let channel = try Self.connection(.init(handshake: nil, firstFrame: .seconds(5), idle: .seconds(30)))
        // One byte every 250 ms: 4 s in all, not a whole frame.
        for byte in STUNStreamFrameDecoderTests.stunFrame.prefix(16) {
            try channel.writeInbound(channel.allocator.buffer(bytes: [byte]))
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(250))
        }
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test func completeFramesKeepAConnectionOpenAndSilenceClosesIt() throws {
        let channel = try Self.connection(.init(handshake: nil, firstFrame: .seconds(5), idle: .seconds(30)))
        for _ in 0..<4 {
            channel.embeddedEventLoop.advanceTime(by: .seconds(4))
            try channel.writeInbound(channel.allocator.buffer(bytes: STUNStreamFrameDecoderTests.stunFrame))
        }
        channel.embeddedEventLoop.advanceTime(by: .seconds(29))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }
}
