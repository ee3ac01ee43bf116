import Logging
import NIOCore
import STUNWire
import TURNCore
import TURNMetrics

/// Serves STUN over one UDP listener: each datagram goes to the ``BindingResponder`` and its
/// answer, if any, goes back to the sender from the same socket.
///
/// Responses written during one read batch are flushed once, when the batch ends, so NIO can
/// send them with a single `sendmmsg`.
final class STUNDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let responder: BindingResponder
    private let metrics: RelayMetrics
    private let logger: Logger
    private var needsFlush = false

    init(responder: BindingResponder, metrics: RelayMetrics, logger: Logger) {
        self.responder = responder
        self.metrics = metrics
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard let source = STUNTransportAddress(envelope.remoteAddress) else { return }
        let outcome = self.responder.handle(envelope.data.readableBytesUInt8Span, from: source)
        guard let bytes = MessageOutcomeRecorder.record(outcome, transport: .udp, metrics: self.metrics, logger: self.logger, source: source) else {
            return
        }
        let response = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: context.channel.allocator.buffer(bytes: bytes))
        context.write(Self.wrapOutboundOut(response), promise: nil)
        self.needsFlush = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if self.needsFlush {
            self.needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A UDP socket reports ICMP errors for earlier sends as read errors; the listener stays open.
        self.logger.debug("udp listener error", metadata: ["turn.error": "\(error)"])
    }
}

@available(*, unavailable)
extension STUNDatagramHandler: Sendable {}
