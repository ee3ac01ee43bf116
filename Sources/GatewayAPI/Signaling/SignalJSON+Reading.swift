extension SignalJSON {
    /// Reads one JSON text (RFC 8259) from `bytes`, with at most ``maximumDepth`` levels of
    /// arrays and objects; nil when it is not JSON, nests deeper, or holds a number a double
    /// cannot hold. In strings, a lone surrogate escape reads as U+FFFD and invalid UTF-8 is
    /// repaired the same way; of repeated object keys the last counts.
    static func parse(_ bytes: some Collection<UInt8>) -> SignalJSON? {
        let array = Array(bytes)
        return array.withUnsafeBufferPointer { buffer in
            var reader = Reader(bytes: buffer)
            guard let value = reader.value(depth: 0) else { return nil }
            reader.skipWhitespace()
            return reader.offset == buffer.count ? value : nil
        }
    }

    /// A recursive-descent reader; every step checks the offset against the end.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func skipWhitespace() {
            while self.offset < self.bytes.count {
                switch self.bytes[self.offset] {
                case 0x20, 0x09, 0x0A, 0x0D: self.offset += 1
                default: return
                }
            }
        }

        private var next: UInt8? { self.offset < self.bytes.count ? self.bytes[self.offset] : nil }

        mutating func value(depth: Int) -> SignalJSON? {
            self.skipWhitespace()
            guard let byte = self.next else { return nil }
            switch byte {
            case UInt8(ascii: "{"): return depth < SignalJSON.maximumDepth ? self.object(depth: depth + 1) : nil
            case UInt8(ascii: "["): return depth < SignalJSON.maximumDepth ? self.array(depth: depth + 1) : nil
            case UInt8(ascii: "\""): return self.string().map(SignalJSON.string)
            case UInt8(ascii: "t"): return self.literal("true", .bool(true))
            case UInt8(ascii: "f"): return self.literal("false", .bool(false))
            case UInt8(ascii: "n"): return self.literal("null", .null)
            default: return self.number()
            }
        }

        private mutating func literal(_ text: StaticString, _ value: SignalJSON) -> SignalJSON? {
            let count = text.utf8CodeUnitCount
            guard self.bytes.count - self.offset >= count else { return nil }
            for index in 0..<count where self.bytes[self.offset + index] != text.utf8Start[index] { return nil }
            self.offset += count
            return value
        }

        private mutating func object(depth: Int) -> SignalJSON? {
            self.offset += 1
            var members: [String: SignalJSON] = [:]
            self.skipWhitespace()
            if self.next == UInt8(ascii: "}") {
                self.offset += 1
                return .object(members)
            }
            while true {
                self.skipWhitespace()
                guard self.next == UInt8(ascii: "\""), let key = self.string() else { return nil }
                self.skipWhitespace()
                guard self.next == UInt8(ascii: ":") else { return nil }
                self.offset += 1
                guard let value = self.value(depth: depth) else { return nil }
                members[key] = value
                self.skipWhitespace()
                switch self.next {
                case UInt8(ascii: ","): self.offset += 1
                case UInt8(ascii: "}"):
                    self.offset += 1
                    return .object(members)
                default: return nil
                }
            }
        }

        private mutating func array(depth: Int) -> SignalJSON? {
            self.offset += 1
            var elements: [SignalJSON] = []
            self.skipWhitespace()
            if self.next == UInt8(ascii: "]") {
                self.offset += 1
                return .array(elements)
            }
            while true {
                guard let value = self.value(depth: depth) else { return nil }
                elements.append(value)
                self.skipWhitespace()
                switch self.next {
                case UInt8(ascii: ","): self.offset += 1
                case UInt8(ascii: "]"):
                    self.offset += 1
                    return .array(elements)
                default: return nil
                }
            }
        }

        /// A number's text as RFC 8259 Section 6 writes it, read as a double; nil when it is
        /// not finite as one.
        private mutating func number() -> SignalJSON? {
            let start = self.offset
            if self.next == UInt8(ascii: "-") { self.offset += 1 }
            if self.next == UInt8(ascii: "0") {
                self.offset += 1
            } else {
                guard self.digits() > 0 else { return nil }
            }
            if self.next == UInt8(ascii: ".") {
                self.offset += 1
                guard self.digits() > 0 else { return nil }
            }
            if self.next == UInt8(ascii: "e") || self.next == UInt8(ascii: "E") {
                self.offset += 1
                if self.next == UInt8(ascii: "+") || self.next == UInt8(ascii: "-") { self.offset += 1 }
                guard self.digits() > 0 else { return nil }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.offset]), as: UTF8.self)
            guard let number = Double(text), number.isFinite else { return nil }
            return .number(number)
        }

        private mutating func digits() -> Int {
            let start = self.offset
            while let byte = self.next, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { self.offset += 1 }
            return self.offset - start
        }

        /// A string from its opening quote: escapes decoded, raw control characters refused.
        private mutating func string() -> String? {
            self.offset += 1
            var scalars = String.UnicodeScalarView()
            var runStart = self.offset
            while true {
                guard let byte = self.next else { return nil }
                switch byte {
                case UInt8(ascii: "\""):
                    self.appendRun(from: runStart, to: &scalars)
                    self.offset += 1
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    self.appendRun(from: runStart, to: &scalars)
                    self.offset += 1
                    guard let scalar = self.escape() else { return nil }
                    scalars.append(scalar)
                    runStart = self.offset
                case 0..<0x20:
                    return nil
                default:
                    self.offset += 1
                }
            }
        }

        private func appendRun(from start: Int, to scalars: inout String.UnicodeScalarView) {
            guard start < self.offset else { return }
            scalars.append(contentsOf: String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.offset]), as: UTF8.self).unicodeScalars)
        }

        private mutating func escape() -> Unicode.Scalar? {
            guard let byte = self.next else { return nil }
            self.offset += 1
            switch byte {
            case UInt8(ascii: "\""): return "\""
            case UInt8(ascii: "\\"): return "\\"
            case UInt8(ascii: "/"): return "/"
            case UInt8(ascii: "b"): return "\u{08}"
            case UInt8(ascii: "f"): return "\u{0C}"
            case UInt8(ascii: "n"): return "\n"
            case UInt8(ascii: "r"): return "\r"
            case UInt8(ascii: "t"): return "\t"
            case UInt8(ascii: "u"):
                guard let unit = self.hex4() else { return nil }
                if (0xD800..<0xDC00).contains(unit), self.bytes.count - self.offset >= 6, self.bytes[self.offset] == UInt8(ascii: "\\"),
                    self.bytes[self.offset + 1] == UInt8(ascii: "u")
                {
                    let saved = self.offset
                    self.offset += 2
                    if let low = self.hex4(), (0xDC00..<0xE000).contains(low) {
                        return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                    }
                    self.offset = saved
                }
                return Unicode.Scalar(unit) ?? "\u{FFFD}"
            default:
                return nil
            }
        }

        private mutating func hex4() -> UInt32? {
            guard self.bytes.count - self.offset >= 4 else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = self.bytes[self.offset]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value << 4 | digit
                self.offset += 1
            }
            return value
        }
    }
}
