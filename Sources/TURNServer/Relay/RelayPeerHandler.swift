import NIOCore
import TURNCore

/// The handler of one allocation's relay socket: hands each datagram from a peer to the
/// loop's ``RelayLoop`` and flushes what it wrote when the read batch ends.
final class RelayPeerHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let loop: RelayLoop
    private let fiveTuple: FiveTuple

    init(loop: RelayLoop, fiveTuple: FiveTuple) {
        self.loop = loop
        self.fiveTuple = fiveTuple
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.loop.receiveFromPeer(Self.unwrapInboundIn(data), on: self.fiveTuple)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.loop.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP errors from earlier sends surface as read errors; the relay socket stays open.
    }
}

@available(*, unavailable)
extension RelayPeerHandler: Sendable {}
