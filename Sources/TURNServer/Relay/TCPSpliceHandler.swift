import NIOCore
import TURNCore
import TURNMetrics

/// Relays raw bytes between a peer connection and a client data connection (RFC 6062
/// Section 5.3), one handler on each; the two may live on different event loops.
///
/// Backpressure: when this channel's writes back up past its high water mark, the partner
/// stops reading until they drain (`autoRead`). A peer connection that is not bound yet keeps
/// what the peer sends, up to ``TCPAllocationState/unboundBufferLimit`` bytes, then stops
/// reading. Half-close travels across: end of input here shuts the partner's output down once
/// the bytes before it are written; closing either closes both. Each read counts in the
/// relayed-traffic metrics of its direction.
final class TCPSpliceHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Fired into a peer connection's pipeline when a client data connection binds it.
    struct Attach: Sendable {
        var partner: any Channel
    }

    private var partner: (any Channel)?
    private var pending: [ByteBuffer] = []
    private var pendingBytes = 0
    private var inputClosed = false
    private let onClose: (() -> Void)?
    private let metrics: RelayMetrics
    /// Which way the bytes read here go.
    private let direction: RelayMetrics.Direction

    /// A handler for a peer connection, unbound until ``Attach`` arrives; `onClose` runs when it closes.
    init(metrics: RelayMetrics, onClose: @escaping () -> Void) {
        self.onClose = onClose
        self.metrics = metrics
        self.direction = .peerToClient
    }

    /// A handler for a client data connection, bound to `partner` from the start.
    init(partner: any Channel, metrics: RelayMetrics) {
        self.partner = partner
        self.onClose = nil
        self.metrics = metrics
        self.direction = .clientToPeer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = Self.unwrapInboundIn(data)
        self.metrics.relayed(self.direction, bytes: buffer.readableBytes)
        if let partner = self.partner {
            partner.write(buffer, promise: nil)
            return
        }
        self.pending.append(buffer)
        self.pendingBytes += buffer.readableBytes
        if self.pendingBytes >= TCPAllocationState.unboundBufferLimit {
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.partner?.flush()
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        self.partner?.setOption(ChannelOptions.autoRead, value: context.channel.isWritable).whenFailure { _ in }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let attach = event as? Attach {
            self.attach(attach.partner, context: context)
            return
        }
        if let event = event as? ChannelEvent, event == .inputClosed {
            self.inputClosed = true
            if let partner = self.partner { Self.shutdownOutput(of: partner) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func attach(_ partner: any Channel, context: ChannelHandlerContext) {
        self.partner = partner
        for buffer in self.pending {
            partner.write(buffer, promise: nil)
        }
        partner.flush()
        self.pending.removeAll()
        self.pendingBytes = 0
        if self.inputClosed {
            Self.shutdownOutput(of: partner)
        } else {
            context.channel.setOption(ChannelOptions.autoRead, value: partner.isWritable).whenFailure { _ in }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.partner?.close(promise: nil)
        self.pending.removeAll()
        self.onClose?()
        context.fireChannelInactive()
    }

    /// Half-closes `channel` after its queued writes; closes it when it cannot half-close.
    private static func shutdownOutput(of channel: any Channel) {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        promise.futureResult.whenFailure { _ in channel.close(promise: nil) }
        channel.close(mode: .output, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension TCPSpliceHandler: Sendable {}
