import NIOCore
import STUNWire
import TURNCore

/// The handler of a NIO-read relay socket (an allocation of a TCP or TLS client): hands each
/// datagram from a peer to the loop's ``RelayLoop`` and flushes what it wrote when the read
/// batch ends. A datagram that filled its receive slot may have been cut, so it is dropped
/// and counted.
final class RelayPeerHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let loop: RelayLoop
    private let endpoint: RelayEndpoint

    init(loop: RelayLoop, endpoint: RelayEndpoint) {
        self.loop = loop
        self.endpoint = endpoint
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard let peer = STUNTransportAddress(envelope.remoteAddress) else { return }
        if DatagramChannelFactory.isPossiblyTruncated(envelope.data) {
            self.loop.metrics.ignored(reason: TURNIgnoreReason.oversizedDatagram.rawValue)
            return
        }
        envelope.data.withUnsafeReadableBytes { self.loop.receiveFromPeer($0, from: peer, on: self.endpoint) }
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
