import NIOCore
import STUNWire

/// Splits a TCP or TLS byte stream into STUN messages and ChannelData frames.
///
/// RFC 8656 Section 12.5: both share the stream; the first two bits tell them apart and each
/// carries its own length (ChannelData padded to four bytes). A partial frame waits for more
/// bytes; a frame that cannot be STUN or ChannelData throws, which closes the connection,
/// because the stream cannot be resynchronised.
struct STUNStreamFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try STUNStreamFraming.frame(at: buffer.readableBytesUInt8Span),
            let slice = buffer.readSlice(length: frame.length)
        else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(slice))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try self.decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
