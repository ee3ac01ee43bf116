import NIOCore
import STUNWire
import TURNCore

/// Serves TURN over one UDP listener socket: ChannelData goes straight to the data path,
/// everything else to the loop's request processor.
///
/// RFC 8656 Section 12.5: the first two bits of a datagram tell ChannelData (`01`) from STUN
/// (`00`). Answers go out through the listener's ``DatagramSender`` when the read batch
/// ends. Datagrams from source port 0 (no answer can reach them) and datagrams that filled
/// their receive slot (possibly cut) are dropped and counted.
final class TURNDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let loop: RelayLoop
    private let sender: DatagramSender
    private var server: STUNTransportAddress?

    init(loop: RelayLoop, sender: DatagramSender) {
        self.loop = loop
        self.sender = sender
    }

    func channelActive(context: ChannelHandlerContext) {
        self.server = context.localAddress.flatMap(STUNTransportAddress.init)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard let server = self.server, let client = STUNTransportAddress(envelope.remoteAddress),
            let first = envelope.data.getInteger(at: envelope.data.readerIndex, as: UInt8.self)
        else { return }
        guard client.port != 0 else {
            self.loop.metrics.ignored(reason: TURNIgnoreReason.sourcePortZero.rawValue)
            return
        }
        guard !DatagramChannelFactory.isPossiblyTruncated(envelope.data) else {
            self.loop.metrics.ignored(reason: TURNIgnoreReason.oversizedDatagram.rawValue)
            return
        }
        let fiveTuple = FiveTuple(client: client, server: server, transport: .udp)
        if first & 0xC0 == 0x40 {
            self.loop.receiveChannelData(envelope.data, on: fiveTuple)
        } else {
            self.loop.receiveControl(envelope.data, on: fiveTuple, link: .datagram(listener: self.sender, client: client))
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.loop.flush()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A UDP socket reports ICMP errors for earlier sends as read errors; the listener stays open.
    }
}

@available(*, unavailable)
extension TURNDatagramHandler: Sendable {}
