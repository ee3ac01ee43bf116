/// Sequential big-endian stores into raw bytes the caller sized exactly.
struct BigEndianWriter {
    private let out: UnsafeMutableRawBufferPointer
    private var offset = 0

    init(_ out: UnsafeMutableRawBufferPointer) {
        self.out = out
    }

    mutating func put<Value: FixedWidthInteger>(_ value: Value) {
        self.out.storeBytes(of: value.bigEndian, toByteOffset: self.offset, as: Value.self)
        self.offset += MemoryLayout<Value>.size
    }

    mutating func put(_ bytes: UnsafeRawBufferPointer) {
        UnsafeMutableRawBufferPointer(rebasing: self.out[self.offset..<(self.offset + bytes.count)]).copyMemory(from: bytes)
        self.offset += bytes.count
    }

    mutating func zeroes(_ count: Int) {
        for index in self.offset..<(self.offset + count) { self.out[index] = 0 }
        self.offset += count
    }
}
