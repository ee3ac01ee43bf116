import NIOCore

/// Keeps a channel's ``DatagramSender`` in its pipeline, so the relay finds the socket it
/// sends through from the channel NIO reads it with, and closes the sender when the channel
/// goes away: the sending half never outlives the socket's channel.
///
/// An outbound handler (NIO wants every handler to be one or the other): nothing is written
/// through the pipeline, so it stands in no packet's way.
final class DatagramSenderHandler: ChannelOutboundHandler {
    typealias OutboundIn = NIOAny

    let sender: DatagramSender

    init(sender: DatagramSender) {
        self.sender = sender
    }

    /// Closing the channel closes the sender first, so the port is free as soon as the
    /// channel's close completes (a reserved EVEN-PORT port is bound again at once).
    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        self.sender.close()
        context.close(mode: mode, promise: promise)
    }

    /// A channel NIO closed by itself (a read error) loses its sender too.
    func handlerRemoved(context: ChannelHandlerContext) {
        self.sender.close()
    }

    /// The sender of `channel`, when it has one (control path).
    static func sender(of channel: any Channel) -> DatagramSender? {
        try? channel.pipeline.syncOperations.handler(type: DatagramSenderHandler.self).sender
    }
}

@available(*, unavailable)
extension DatagramSenderHandler: Sendable {}
