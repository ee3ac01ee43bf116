import Logging
import NIOCore
import STUNWire
import TURNCore
import TURNMetrics

/// Serves TURN over one TCP connection, one frame at a time (frames come from
/// ``STUNStreamFrameDecoder``).
///
/// The connection is the client's 5-tuple: its allocation, if any, is deleted when the
/// connection closes (RFC 8656 Section 3.1). A framing error closes this connection only;
/// ``StreamDeadlineHandler`` closes idle ones.
final class TURNStreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let loop: RelayLoop
    private let metrics: RelayMetrics
    private let logger: Logger
    private var fiveTuple: FiveTuple?

    init(loop: RelayLoop, metrics: RelayMetrics, logger: Logger) {
        self.loop = loop
        self.metrics = metrics
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        if let client = context.remoteAddress.flatMap(STUNTransportAddress.init),
            let server = context.localAddress.flatMap(STUNTransportAddress.init)
        {
            self.fiveTuple = FiveTuple(client: client, server: server, transport: .tcp)
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let fiveTuple = self.fiveTuple {
            self.loop.connectionClosed(fiveTuple)
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        guard let fiveTuple = self.fiveTuple, let first = frame.getInteger(at: frame.readerIndex, as: UInt8.self) else { return }
        frame.withUnsafeReadableBytes { bytes in
            if first & 0xC0 == 0x40 {
                self.loop.receiveChannelData(bytes, on: fiveTuple)
            } else {
                self.loop.receiveControl(bytes, on: fiveTuple, link: .stream(context.channel))
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.loop.flush()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is STUNParseError {
            self.metrics.streamFramingError()
        }
        self.logger.debug("closing tcp connection", metadata: [
            "turn.client": "\(self.fiveTuple?.client.description ?? "?")", "turn.error": "\(error)",
        ])
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension TURNStreamHandler: Sendable {}
