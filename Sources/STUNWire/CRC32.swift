/// CRC-32 as ISO 3309 / ITU-T V.42 define it (the zlib CRC), used by FINGERPRINT.
///
/// RFC 8489 Section 14.7 names this CRC; the attribute XORs it with 0x5354554E.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 {
            crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
        }
        return crc
    }

    /// Continues a running CRC over `bytes`; start with ``initial`` and finish with ``finish(_:)``.
    static func update(_ crc: UInt32, _ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = crc
        for byte in bytes {
            crc = Self.update(crc, byte: byte)
        }
        return crc
    }

    /// Continues a running CRC over one byte.
    @inline(__always)
    static func update(_ crc: UInt32, byte: UInt8) -> UInt32 {
        Self.table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
    }

    static let initial: UInt32 = 0xFFFF_FFFF

    static func finish(_ crc: UInt32) -> UInt32 { crc ^ 0xFFFF_FFFF }

    /// The CRC of `bytes`.
    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        Self.finish(Self.update(Self.initial, bytes))
    }
}
