package import NIOCore

/// A handler that splits a TCP or TLS byte stream into STUN messages and ChannelData frames,
/// as every stream connection of the relay has (``STUNStreamFrameDecoder``).
///
/// For driving the decoder outside a server: the stream fuzz target feeds it arbitrary bytes
/// cut at arbitrary places and checks that it finds the frames a one-pass reading finds.
package func makeSTUNStreamFrameHandler() -> any ChannelInboundHandler {
    ByteToMessageHandler(STUNStreamFrameDecoder())
}
