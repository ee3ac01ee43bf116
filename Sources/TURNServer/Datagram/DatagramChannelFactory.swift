import DatagramEngine
import NIOCore
import NIOPosix
import STUNWire

/// Opens the relay's UDP sockets itself and gives each to NIO for reading.
///
/// The relay binds the socket (``DatagramSender/open(boundTo:options:)``), keeps its sender at
/// the end of the pipeline (``DatagramSenderHandler``) and lets NIO read with vector reads into
/// slots of `slotSize` bytes. A datagram that fills its slot may have been cut by the kernel,
/// so readers drop it (``isPossiblyTruncated(_:)``): nothing is ever relayed truncated.
///
/// Every failure closes what was opened. (NIO's `DatagramBootstrap.bind(to:)` registers the
/// channel before it binds and leaves it open when the bind fails, so each relay port found
/// taken leaked a socket; do not go back to it.)
enum DatagramChannelFactory {
    /// How a socket reads.
    struct Reads: Sendable {
        /// Datagrams per `recvmmsg`.
        var messages: Int
        /// Bytes per datagram slot; a datagram of this size or more is dropped.
        var slotSize: Int

        /// A listener: any datagram up to 65,507 bytes arrives whole.
        static let listener = Reads(messages: 32, slotSize: 65_536)
        /// A relay socket: peers' datagrams up to 2,047 bytes (WebRTC stays under about
        /// 1,300); larger ones are dropped and counted, so each socket holds only 32 KiB.
        static let relay = Reads(messages: 16, slotSize: 2_048)
    }

    /// Opens a UDP socket on `address`, bound on `loop`; `initializer` adds the handlers that
    /// read from it, given the socket's sender.
    static func bind(
        _ address: STUNTransportAddress,
        options: DatagramSender.Options,
        reads: Reads,
        on loop: any EventLoop,
        initializer: @escaping @Sendable (any Channel, DatagramSender) throws -> Void = { _, _ in }
    ) -> EventLoopFuture<any Channel> {
        let sender: DatagramSender
        do {
            sender = try DatagramSender.open(boundTo: SocketAddressStorage(address), options: options)
        } catch {
            return loop.makeFailedFuture(error)
        }
        return DatagramBootstrap(group: loop)
            .channelOption(.datagramVectorReadMessageCount, value: reads.messages)
            .channelOption(.maxMessagesPerRead, value: 1)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: reads.messages * reads.slotSize))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    do {
                        try initializer(channel, sender)
                        try channel.pipeline.syncOperations.addHandler(DatagramSenderHandler(sender: sender))
                    } catch {
                        channel.close(promise: nil)
                        throw error
                    }
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
