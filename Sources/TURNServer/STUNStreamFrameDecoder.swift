import NIOCore
import STUNWire

/// Splits a TCP or TLS byte stream into STUN messages and ChannelData frames.
///
/// RFC 8656 Section 12.5: both share the stream; the first two bits tell them apart and each
/// carries its own length (ChannelData padded to four bytes). A partial frame waits for more
/// bytes; a frame that cannot be STUN or ChannelData throws, which closes the connection,
/// because the stream cannot be resynchronised.
///
/// While the connection is not writable (a client that does not read its answers), frames stay
/// in the buffer undecoded, so they are not answered; ``StreamBackpressureHandler`` stops
/// reading meanwhile and wakes the decoder up when the connection drains.
struct STUNStreamFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard context.channel.isWritable else { return .needMoreData }
        guard let frame = try STUNStreamFraming.frame(at: buffer.readableBytesUInt8Span),
            let slice = buffer.readSlice(length: frame.length)
        else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(slice))
        return .continue
    }

    /// At end of stream, the last whole frames; when the decoder is removed instead (a
    /// ConnectionBind made this a client data connection, RFC 6062 Section 5.3), the bytes
    /// left are not frames: they go on as they are.
    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        guard seenEOF else {
            if buffer.readableBytes > 0, let rest = buffer.readSlice(length: buffer.readableBytes) {
                context.fireChannelRead(Self.wrapInboundOut(rest))
            }
            return .needMoreData
        }
        while try self.decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
