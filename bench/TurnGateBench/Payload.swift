/// The bench's own header at the start of every data payload: who sent it, and when.
///
/// Layout (host byte order: both ends are this process): magic `"TGB1"` (4 bytes), flow
/// index (4), sequence number (8), send time on ``BenchClock/now()`` (8). The rest of the
/// payload, up to `--size`, is zeros.
enum Payload {
    /// The magic at offset 0.
    static let magic: UInt32 = 0x5447_4231
    /// The smallest payload that holds the header.
    static let minimumSize = 24

    /// Writes the header at `slot`.
    @inline(__always)
    static func write(to slot: UnsafeMutableRawPointer, flow: UInt32, sequence: UInt64, sentAt: UInt64) {
        slot.storeBytes(of: Self.magic, toByteOffset: 0, as: UInt32.self)
        slot.storeBytes(of: flow, toByteOffset: 4, as: UInt32.self)
        slot.storeBytes(of: sequence, toByteOffset: 8, as: UInt64.self)
        slot.storeBytes(of: sentAt, toByteOffset: 16, as: UInt64.self)
    }

    /// The send time in a received payload, or nil when it is not one of ours.
    @inline(__always)
    static func sentAt(in payload: UnsafeRawBufferPointer) -> UInt64? {
        guard payload.count >= Self.minimumSize, payload.loadUnaligned(as: UInt32.self) == Self.magic else { return nil }
        return payload.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
    }
}
