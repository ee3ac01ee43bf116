import NIOCore

/// Stops reading a TCP or TLS client connection while it is not writable, and resumes when it
/// is again.
///
/// A client that sends requests (or ChannelData) without reading the answers fills its
/// connection's write buffer; past the high water mark the channel turns unwritable. From then
/// on no more bytes are read from the socket (the `read` the channel asks for waits here), and
/// ``STUNStreamFrameDecoder`` stops decoding the frames it already holds, so nothing more is
/// answered. The kernel's receive window then pushes back on the client. When the buffer drains
/// below the low water mark, the held frames are decoded (an empty read wakes the decoder up)
/// and reading resumes. A connection that stays unwritable sends no complete frame, so it is
/// closed at its idle deadline.
///
/// Sits between the TLS handler (if any) and the frame decoder. A ConnectionBind removes it
/// (RFC 6062 Section 5.3): a client data connection has its own backpressure, across the splice.
final class StreamBackpressureHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var pendingRead = false
    private var resumeScheduled = false
    private var removed = false

    init() {}

    func read(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.read()
        } else {
            self.pendingRead = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, !self.resumeScheduled {
            // Writability returns in the middle of a flush; resuming there would re-enter the
            // handlers that are flushing, so it waits for the next turn of the event loop.
            self.resumeScheduled = true
            context.eventLoop.assumeIsolated().execute {
                self.resume(context: context)
            }
        }
        context.fireChannelWritabilityChanged()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.removed = true
        if self.pendingRead {
            self.pendingRead = false
            context.read()
        }
    }

    private func resume(context: ChannelHandlerContext) {
        self.resumeScheduled = false
        guard !self.removed, context.channel.isActive, context.channel.isWritable else { return }
        context.fireChannelRead(Self.wrapInboundOut(context.channel.allocator.buffer(capacity: 0)))
        context.fireChannelReadComplete()
        if self.pendingRead, context.channel.isWritable {
            self.pendingRead = false
            context.read()
        }
    }
}

@available(*, unavailable)
extension StreamBackpressureHandler: Sendable {}
