import DatagramEngine
import NIOCore
import NIOPosix
import STUNWire

/// Opens the relay sockets of TCP and TLS clients' allocations itself and gives each to NIO
/// for reading (UDP clients' sockets belong to their ``DatagramEngine``).
///
/// The relay binds the socket (``DatagramSender/open(boundTo:options:)``), keeps its sender at
/// the end of the pipeline (``DatagramSenderHandler``) and lets NIO read with vector reads of
/// ``messagesPerRead`` slots of ``slotSize`` bytes. A datagram that fills its slot may have
/// been cut by the kernel, so readers drop it (``isPossiblyTruncated(_:)``): nothing is ever
/// relayed truncated.
///
/// Every failure closes what was opened. (NIO's `DatagramBootstrap.bind(to:)` registers the
/// channel before it binds and leaves it open when the bind fails, so each relay port found
/// taken leaked a socket; do not go back to it.)
enum DatagramChannelFactory {
    /// Datagrams per `recvmmsg`.
    static let messagesPerRead = 16
    /// Bytes per datagram slot: peers' datagrams up to 2,047 bytes arrive (WebRTC stays under
    /// about 1,300); larger ones are dropped and counted, so each socket holds only 32 KiB.
    static let slotSize = 2_048

    /// Opens a UDP socket on `address`, read by NIO on `loop`.
    static func bind(_ address: STUNTransportAddress, options: DatagramSender.Options, on loop: any EventLoop) -> EventLoopFuture<any Channel> {
        let sender: DatagramSender
        do {
            sender = try DatagramSender.open(boundTo: SocketAddressStorage(address), options: options)
        } catch {
            return loop.makeFailedFuture(error)
        }
        return DatagramBootstrap(group: loop)
            .channelOption(.datagramVectorReadMessageCount, value: Self.messagesPerRead)
            .channelOption(.maxMessagesPerRead, value: 1)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: Self.messagesPerRead * Self.slotSize))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DatagramSenderHandler(sender: sender))
                }
            }
            .withBoundSocket(sender.descriptor)
            .flatMapErrorThrowing { error in
                sender.close()
                throw error
            }
    }

    /// Whether a received datagram filled its whole slot, so the kernel may have cut it.
    static func isPossiblyTruncated(_ data: ByteBuffer) -> Bool {
        data.readableBytes >= data.capacity
    }
}
