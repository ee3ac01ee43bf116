/// The two-message handshake of the bench forwarder, the only non-TURN bytes the bench speaks.
///
/// The client's first datagram is `"TGFW"` + target IPv4 (4 bytes) + port (2 bytes); the
/// forwarder opens a relay socket connected to the target and answers `"TGFW"` + relay IPv4 +
/// relay port. After that, datagrams are forwarded as they are, both ways.
enum ForwarderHello {
    /// The magic that starts both hello messages: "TGFW".
    static let magic: UInt32 = 0x5447_4657
    /// The length of either hello message.
    static let length = 10

    /// The client's hello asking for a relay to `target`.
    static func request(target: IPv4Endpoint) -> [UInt8] { Self.encode(target) }

    /// The forwarder's answer naming the relay address.
    static func response(relay: IPv4Endpoint) -> [UInt8] { Self.encode(relay) }

    /// The endpoint in a hello message, or nil when the bytes are not one.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> IPv4Endpoint? {
        guard bytes.count == Self.length,
            UInt32(bigEndian: bytes.loadUnaligned(as: UInt32.self)) == Self.magic
        else { return nil }
        let address = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let port = UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
        return IPv4Endpoint(address: address, port: port)
    }

    private static func encode(_ endpoint: IPv4Endpoint) -> [UInt8] {
        var out: [UInt8] = []
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: Self.magic >> shift)) }
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: endpoint.address >> shift)) }
        out.append(UInt8(truncatingIfNeeded: endpoint.port >> 8))
        out.append(UInt8(truncatingIfNeeded: endpoint.port))
        return out
    }
}
