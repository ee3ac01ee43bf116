import STUNWire

/// Finds the DATA attribute of a Data indication in place, for the per-packet receive path.
///
/// RFC 8656 Section 11.4: a Data indication carries XOR-PEER-ADDRESS and DATA. STUNWire's
/// ``STUNMessage`` copies every attribute; this walk copies nothing. It checks the header
/// (type 0x0017, length) and that every attribute it passes fits.
enum DataIndication {
    /// The message type of a Data indication.
    static let messageType = STUNMessageType(method: .data, messageClass: .indication).rawValue

    /// The DATA value of a Data indication, or nil for anything else or anything malformed.
    static func data(in datagram: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard datagram.count >= 20,
            Self.uint16(datagram, 0) == Self.messageType,
            Int(Self.uint16(datagram, 2)) + 20 == datagram.count
        else { return nil }
        var offset = 20
        while offset + 4 <= datagram.count {
            let type = Self.uint16(datagram, offset)
            let length = Int(Self.uint16(datagram, offset + 2))
            let valueEnd = offset + 4 + length
            guard valueEnd <= datagram.count else { return nil }
            if type == 0x0013 { return UnsafeRawBufferPointer(rebasing: datagram[(offset + 4)..<valueEnd]) }
            offset = offset + 4 + (length + 3) & ~3
        }
        return nil
    }

    @inline(__always)
    private static func uint16(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }
}
