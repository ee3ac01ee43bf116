/// The IPv6 text forms of RFC 4291 Section 2.2, as `inet_pton` reads them.
enum IPv6Text {
    /// The address that all of `bytes` spells, as a 128-bit value, or nil.
    ///
    /// Groups of one to four hex digits separated by `:`; at most one `::`, which stands for at
    /// least one zero group; a dotted quad only in place of the last two groups.
    static func parse(_ bytes: ArraySlice<UInt8>) -> UInt128? {
        var head = GroupAccumulator()
        var tail = GroupAccumulator()
        var compressed = false
        var index = bytes.startIndex
        let end = bytes.endIndex
        if bytes.count >= 2, bytes[index] == AddressText.colon, bytes[index + 1] == AddressText.colon {
            compressed = true
            index += 2
        }
        while index < end {
            let groupStart = index
            var group: UInt16 = 0
            var digits = 0
            while index < end, let digit = AddressText.hexValue(bytes[index]) {
                guard digits < 4 else { return nil }
                group = group << 4 | UInt16(digit)
                digits += 1
                index += 1
            }
            if index < end, bytes[index] == AddressText.dot {
                guard let ipv4 = IPv4Text.parse(bytes[groupStart..<end]) else { return nil }
                let appended = compressed ? tail.appendIPv4(ipv4) : head.appendIPv4(ipv4)
                guard appended, head.count + tail.count <= 8 else { return nil }
                break
            }
            guard digits > 0 else { return nil }
            let appended = compressed ? tail.append(group) : head.append(group)
            guard appended, head.count + tail.count <= 8 else { return nil }
            guard index < end else { break }
            guard bytes[index] == AddressText.colon else { return nil }
            index += 1
            if index < end, bytes[index] == AddressText.colon {
                guard !compressed else { return nil }
                compressed = true
                index += 1
            } else if index == end {
                return nil
            }
        }
        let groups = head.count + tail.count
        guard compressed ? groups <= 7 : groups == 8 else { return nil }
        return head.value << (16 * (8 - head.count)) | tail.value
    }

    /// Sixteen-bit groups gathered into one value, the first group highest.
    struct GroupAccumulator {
        private(set) var value: UInt128 = 0
        private(set) var count = 0

        /// Appends a group; false when there are already eight.
        mutating func append(_ group: UInt16) -> Bool {
            guard self.count < 8 else { return false }
            self.value = self.value << 16 | UInt128(group)
            self.count += 1
            return true
        }

        /// Appends the two groups that an embedded dotted quad stands for.
        mutating func appendIPv4(_ address: UInt32) -> Bool {
            self.append(UInt16(truncatingIfNeeded: address >> 16))
                && self.append(UInt16(truncatingIfNeeded: address))
        }
    }
}
