import NIOCore
import NIOTLS
import TURNMetrics

/// Closes a TCP or TLS client connection that misses a deadline of
/// ``StreamDeadlineStateMachine``: TLS handshake, first complete frame, idle.
///
/// Sits after the frame decoder, so it sees complete frames only, and after the TLS handler,
/// whose handshake event passes through it. A ConnectionBind removes it with the STUN handling
/// (RFC 6062 Section 5.3: the connection then carries a peer's bytes).
final class StreamDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeouts: StreamDeadlineStateMachine.Timeouts
    private let tls: Bool
    private let refusals: StreamRefusalLog
    private var machine: StreamDeadlineStateMachine?
    private var timer: Scheduled<Void>?

    init(timeouts: StreamDeadlineStateMachine.Timeouts, tls: Bool, refusals: StreamRefusalLog) {
        self.timeouts = timeouts
        self.tls = tls
        self.refusals = refusals
    }

    func channelActive(context: ChannelHandlerContext) {
        let machine = StreamDeadlineStateMachine(timeouts: self.timeouts, tls: self.tls, now: context.eventLoop.now)
        self.machine = machine
        self.perform(machine.firstAction, context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.machine?.frameReceived(now: context.eventLoop.now)
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            self.machine?.handshakeCompleted(now: context.eventLoop.now)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.cancelTimer()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.cancelTimer()
    }

    private func perform(_ action: StreamDeadlineStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .wait:
            self.timer = nil
        case .check(let deadline):
            self.timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
                self.timerFired(context: context)
            }
        case .close(let reason):
            self.timer = nil
            self.refusals.record(reason, client: context.remoteAddress)
            context.close(promise: nil)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        guard var machine = self.machine else { return }
        let action = machine.timerFired(now: context.eventLoop.now)
        self.machine = machine
        self.perform(action, context: context)
    }

    private func cancelTimer() {
        self.timer?.cancel()
        self.timer = nil
        self.machine = nil
    }
}

@available(*, unavailable)
extension StreamDeadlineHandler: Sendable {}
