import DatagramEngine
import NIOCore

/// Keeps a channel's ``DatagramSender`` in its pipeline, so the relay finds the socket it
/// sends through from the channel NIO reads it with, and retires the sender when the channel
/// goes inactive: NIO fires that in the same call that closes the descriptor, so the sender
/// never outlives the socket.
///
/// It stands behind the handler that reads (which forwards no datagram), so no packet passes
/// through it.
final class DatagramSenderHandler: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    let sender: DatagramSender

    init(sender: DatagramSender) {
        self.sender = sender
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.sender.close()
        context.fireChannelInactive()
    }

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
