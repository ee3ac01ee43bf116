extension Array where Element == UInt8 {
    @inline(__always)
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        var bigEndian = value.bigEndian
        Swift.withUnsafeBytes(of: &bigEndian) { self.append(contentsOf: $0) }
    }

    /// Appends the zero bytes that pad a value of `length` bytes to a multiple of four.
    ///
    /// The padding depends on the value alone, not on what the buffer already holds.
    @inline(__always)
    mutating func appendPadding(afterValueOfLength length: Int) {
        self.append(contentsOf: repeatElement(0, count: (4 - length % 4) % 4))
    }

    /// Overwrites two bytes at `offset` with `value`, big-endian. The caller guarantees the range.
    @inline(__always)
    mutating func setBigEndian(_ value: UInt16, at offset: Int) {
        self[offset] = UInt8(truncatingIfNeeded: value >> 8)
        self[offset + 1] = UInt8(truncatingIfNeeded: value)
    }
}

extension Span where Element == UInt8 {
    /// The big-endian `UInt16` at `offset`. The caller checks that two bytes are there.
    @inline(__always)
    func uint16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    /// The big-endian `UInt32` at `offset`. The caller checks that four bytes are there.
    @inline(__always)
    func uint32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16 | UInt32(self[offset + 2]) << 8
            | UInt32(self[offset + 3])
    }

    /// A copy of the bytes in `range`. The caller checks that the range is inside the span.
    func copyBytes(_ range: Range<Int>) -> [UInt8] {
        self.extracting(range).withUnsafeBufferPointer { Array($0) }
    }
}

extension Collection where Element == UInt8 {
    /// The big-endian `UInt16` at the start of the collection, or nil when it is too short.
    func readUInt16() -> UInt16? {
        var iterator = self.makeIterator()
        guard let a = iterator.next(), let b = iterator.next() else { return nil }
        return UInt16(a) << 8 | UInt16(b)
    }

    /// The big-endian `UInt32` at the start of the collection, or nil when it is too short.
    func readUInt32() -> UInt32? {
        var value: UInt32 = 0
        var iterator = self.makeIterator()
        for _ in 0..<4 {
            guard let byte = iterator.next() else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }
}
