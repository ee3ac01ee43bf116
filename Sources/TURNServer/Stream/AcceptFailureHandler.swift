package import NIOCore

/// On a listening socket: when an accept fails (out of file descriptors, EMFILE or ENFILE, or
/// out of memory), stops accepting for a moment instead of retrying in a busy loop, and
/// reports the failure.
///
/// The future-based `ServerBootstrap.bind` adds no accept backoff (its async variant adds
/// NIO's `AcceptBackoffHandler`). That handler alone does not stop the loop either: it delays
/// the next `read`, but when the first accept of a read already fails, the listener stays
/// registered for reading and the event loop is woken again at once, without any `read`
/// passing through it. So this handler also turns `autoRead` off, which unregisters the
/// socket, and back on after ``backoff``; connections that arrive meanwhile wait in the
/// listen backlog. Every listener of the relay (TURN TCP and TLS, RFC 6062 relay listeners)
/// and the metrics endpoint adds both with ``addAcceptBackoff(to:onFailure:)``; the
/// credential gateway's listeners, bound by Hummingbird, add this handler alone with
/// ``addAcceptPause(toRunning:onFailure:)``.
package final class AcceptFailureHandler: ChannelInboundHandler {
    package typealias InboundIn = NIOAny

    /// How long accepting pauses after a failure.
    package static let backoff = TimeAmount.seconds(1)

    private let onFailure: (@Sendable () -> Void)?
    private var resume: Scheduled<Void>?

    init(onFailure: (@Sendable () -> Void)?) {
        self.onFailure = onFailure
    }

    package func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is IOError else {
            context.fireErrorCaught(error)
            return
        }
        self.onFailure?()
        guard self.resume == nil, let options = context.channel.syncOptions else { return }
        try? options.setOption(.autoRead, value: false)
        self.resume = context.eventLoop.assumeIsolated().scheduleTask(in: Self.backoff) {
            self.resume = nil
            try? context.channel.syncOptions?.setOption(.autoRead, value: true)
        }
    }

    package func channelInactive(context: ChannelHandlerContext) {
        self.resume?.cancel()
        self.resume = nil
        context.fireChannelInactive()
    }

    /// Adds NIO's `AcceptBackoffHandler` and this handler to a listening socket's pipeline
    /// (from a `serverChannelInitializer`); `onFailure` runs for each failed accept.
    package static func addAcceptBackoff(to channel: any Channel, onFailure: (@Sendable () -> Void)? = nil) -> EventLoopFuture<Void> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(AcceptBackoffHandler(shouldForwardIOErrorCaught: true))
            try pipeline.addHandler(AcceptFailureHandler(onFailure: onFailure))
        }
    }
}

@available(*, unavailable)
extension AcceptFailureHandler: Sendable {}
