import Logging
import NIOCore
import STUNWire
import TURNCore
import TURNMetrics

/// Serves STUN over one TCP connection, one decoded frame at a time.
///
/// Frames come from ``STUNStreamFrameDecoder``. A framing error or an idle connection closes
/// this connection only.
final class STUNStreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let responder: BindingResponder
    private let metrics: RelayMetrics
    private let logger: Logger
    private var source: STUNTransportAddress?
    private var needsFlush = false

    init(responder: BindingResponder, metrics: RelayMetrics, logger: Logger) {
        self.responder = responder
        self.metrics = metrics
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        self.source = context.remoteAddress.flatMap(STUNTransportAddress.init)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        guard let source = self.source else { return }
        guard frame.readableBytesView.first.map({ $0 & 0xC0 == 0 }) == true else {
            self.metrics.ignored(reason: Self.channelDataWithoutAllocation)
            return
        }
        let outcome = self.responder.handle(frame.readableBytesUInt8Span, from: source)
        guard let bytes = MessageOutcomeRecorder.record(outcome, transport: .tcp, metrics: self.metrics, logger: self.logger, source: source) else {
            return
        }
        context.write(Self.wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
        self.needsFlush = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if self.needsFlush {
            self.needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            self.logger.debug("closing idle tcp connection", metadata: ["turn.client": "\(self.source.map { "\($0)" } ?? "?")"])
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is STUNParseError {
            self.metrics.streamFramingError()
        }
        self.logger.debug("closing tcp connection", metadata: ["turn.client": "\(self.source.map { "\($0)" } ?? "?")", "turn.error": "\(error)"])
        context.close(promise: nil)
    }

    /// The ignore reason counted for ChannelData that arrives where no allocation exists.
    static let channelDataWithoutAllocation = "channel_data_without_allocation"
}

@available(*, unavailable)
extension STUNStreamHandler: Sendable {}
