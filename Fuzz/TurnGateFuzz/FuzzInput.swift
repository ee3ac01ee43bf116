/// The fuzzer's bytes read as a series of choices: each read takes the next bytes and, once
/// they run out, returns zeros, so every input (even an empty one) decodes to something.
struct FuzzInput {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: [UInt8]) {
        self.bytes = bytes[...]
    }

    var isEmpty: Bool { self.bytes.isEmpty }

    mutating func byte() -> UInt8 {
        self.bytes.popFirst() ?? 0
    }

    mutating func uint16() -> UInt16 {
        UInt16(self.byte()) << 8 | UInt16(self.byte())
    }

    mutating func uint32() -> UInt32 {
        UInt32(self.uint16()) << 16 | UInt32(self.uint16())
    }

    mutating func uint64() -> UInt64 {
        UInt64(self.uint32()) << 32 | UInt64(self.uint32())
    }

    /// Up to `count` bytes (fewer when the input ends).
    mutating func bytes(_ count: Int) -> [UInt8] {
        let taken = Array(self.bytes.prefix(count))
        self.bytes = self.bytes.dropFirst(taken.count)
        return taken
    }

    /// Everything left.
    mutating func rest() -> [UInt8] {
        defer { self.bytes = [] }
        return Array(self.bytes)
    }

    /// One of `choices`, picked by the next byte.
    mutating func pick<Element>(_ choices: [Element]) -> Element {
        choices[Int(self.byte()) % choices.count]
    }
}
