import NIOCore
import NIOEmbedded
import STUNWire
import TURNServer

/// The TCP/TLS frame decoder over arbitrary byte splits.
///
/// The first byte gives the number of cuts (up to 15), the next bytes the chunk sizes, the
/// rest is the stream. The chunks go through the relay's decoder in an `EmbeddedChannel`, then
/// end of stream; the frames it passes on must be exactly those a one-pass reading with
/// ``STUNStreamFraming`` finds in the whole stream, and it must fail exactly when that reading
/// meets a frame that cannot be STUN or ChannelData. Any difference traps, so libFuzzer keeps
/// the input.
enum StreamDecoderTarget {
    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let cuts = Int(input.byte() % 16)
        var sizes: [Int] = []
        for _ in 0..<cuts { sizes.append(Int(input.byte())) }
        let stream = input.rest()
        let (expected, failsAt) = self.oneShot(stream)

        let channel = EmbeddedChannel(handler: makeSTUNStreamFrameHandler())
        var frames: [[UInt8]] = []
        var failed = false
        var offset = 0
        var chunks = sizes.map { size in
            defer { offset = min(stream.count, offset + size) }
            return Array(stream[offset..<min(stream.count, offset + size)])
        }
        chunks.append(Array(stream[offset...]))
        for chunk in chunks where !failed {
            do {
                try channel.writeInbound(channel.allocator.buffer(bytes: chunk))
            } catch {
                failed = true
            }
            while let frame = try? channel.readInbound(as: ByteBuffer.self) {
                frames.append(Array(frame.readableBytesView))
            }
        }
        if failed {
            _ = try? channel.finish()
        } else {
            failed = (try? channel.finish()) == nil
            while let frame = try? channel.readInbound(as: ByteBuffer.self) {
                frames.append(Array(frame.readableBytesView))
            }
        }
        precondition(frames == expected, "the decoder's frames differ from a one-pass reading")
        precondition(failed == (failsAt != nil), "the decoder failed where a one-pass reading did not, or not where it did")
    }

    /// The whole frames at the start of `stream`, and where a frame that cannot be framed starts.
    private static func oneShot(_ stream: [UInt8]) -> (frames: [[UInt8]], failsAt: Int?) {
        var frames: [[UInt8]] = []
        var offset = 0
        while offset < stream.count {
            let rest = Array(stream[offset...])
            let frame: STUNStreamFraming.Frame?
            do {
                frame = try STUNStreamFraming.frame(at: rest.span)
            } catch {
                return (frames, offset)
            }
            guard let frame, frame.length <= rest.count else { break }
            frames.append(Array(rest[..<frame.length]))
            offset += frame.length
        }
        return (frames, nil)
    }
}
