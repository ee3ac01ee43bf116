/// The 96-bit transaction ID that ties a STUN response to its request.
///
/// RFC 8489 Section 5: chosen uniformly at random by the requester; the server copies it.
public struct STUNTransactionID: Hashable, Sendable, CustomStringConvertible {
    /// The first four bytes, big-endian.
    public var high: UInt32
    /// The last eight bytes, big-endian.
    public var low: UInt64

    /// Creates a transaction ID from its two big-endian halves.
    public init(high: UInt32, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Creates a transaction ID from exactly 12 bytes; returns nil for any other count.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 12 else { return nil }
        var high: UInt32 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            if index < 4 {
                high = high << 8 | UInt32(byte)
            } else {
                low = low << 8 | UInt64(byte)
            }
        }
        self.init(high: high, low: low)
    }

    /// A fresh random transaction ID.
    public static func random(using generator: inout some RandomNumberGenerator) -> STUNTransactionID {
        STUNTransactionID(high: generator.next(), low: generator.next())
    }

    /// The 12 wire bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(12)
        self.write(into: &out)
        return out
    }

    /// Appends the 12 wire bytes to `buffer`.
    public func write(into buffer: inout [UInt8]) {
        buffer.appendBigEndian(self.high)
        buffer.appendBigEndian(self.low)
    }

    public var description: String {
        self.bytes.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
