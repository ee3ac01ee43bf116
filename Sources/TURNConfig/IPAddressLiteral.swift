/// An IPv4 or IPv6 address written as a literal, parsed strictly and without the network stack.
///
/// IPv4 is the dotted-quad form of `inet_pton`: four decimal parts of 0-255 without leading
/// zeros. IPv6 is the text form of RFC 4291 Section 2.2: up to eight groups of one to four hex
/// digits, at most one `::`, and optionally a dotted quad in the last 32 bits. Brackets, zone
/// identifiers (`%eth0`), prefixes and host names are refused.
struct IPAddressLiteral: Hashable, Sendable {
    /// The address family.
    enum Family: Hashable, Sendable {
        /// A 4-byte IPv4 address.
        case ipv4
        /// A 16-byte IPv6 address.
        case ipv6
    }

    /// The address family.
    let family: Family
    /// The address in network byte order: 4 bytes for IPv4, 16 for IPv6.
    let bytes: [UInt8]

    /// Parses a literal address.
    ///
    /// - Parameter text: The address, e.g. `127.0.0.1` or `2001:db8::1`.
    /// - Returns: `nil` when `text` is not exactly an IPv4 or IPv6 literal.
    init?(_ text: String) {
        let characters = Array(text.utf8)
        if characters.contains(UInt8(ascii: ":")) {
            guard let bytes = Self.parseIPv6(characters[...]) else { return nil }
            self.family = .ipv6
            self.bytes = bytes
        } else {
            guard let bytes = Self.parseIPv4(characters[...]) else { return nil }
            self.family = .ipv4
            self.bytes = bytes
        }
    }

    private static func parseIPv4(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        let parts = text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(Self.isDecimalDigit) else { return nil }
            guard part.count == 1 || part.first != UInt8(ascii: "0") else { return nil }
            let value = part.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard let byte = UInt8(exactly: value) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    private static func parseIPv6(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        let colon = UInt8(ascii: ":")
        guard let gap = zip(text.indices, text.indices.dropFirst()).first(where: { text[$0] == colon && text[$1] == colon }) else {
            guard let groups = Self.parseGroups(text, mayEndInIPv4: true), groups.count == 8 else { return nil }
            return Self.bytes(of: groups)
        }
        let head = text[..<gap.0]
        let tail = text[text.index(after: gap.1)...]
        guard let headGroups = Self.parseGroups(head, mayEndInIPv4: false),
            let tailGroups = Self.parseGroups(tail, mayEndInIPv4: true),
            headGroups.count + tailGroups.count <= 7
        else { return nil }
        let zeros = [UInt16](repeating: 0, count: 8 - headGroups.count - tailGroups.count)
        return Self.bytes(of: headGroups + zeros + tailGroups)
    }

    /// Parses colon-separated groups; an empty text is no group. A second `::` fails here,
    /// as an empty group.
    private static func parseGroups(_ text: ArraySlice<UInt8>, mayEndInIPv4: Bool) -> [UInt16]? {
        guard !text.isEmpty else { return [] }
        let parts = text.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (index, part) in parts.enumerated() {
            if mayEndInIPv4, index == parts.count - 1, part.contains(UInt8(ascii: ".")) {
                guard let quad = Self.parseIPv4(part), quad.count == 4 else { return nil }
                groups.append(UInt16(quad[0]) << 8 | UInt16(quad[1]))
                groups.append(UInt16(quad[2]) << 8 | UInt16(quad[3]))
                continue
            }
            guard (1...4).contains(part.count) else { return nil }
            var group: UInt16 = 0
            for character in part {
                guard let digit = Self.hexValue(character) else { return nil }
                group = group << 4 | UInt16(digit)
            }
            groups.append(group)
        }
        return groups.count <= 8 ? groups : nil
    }

    private static func bytes(of groups: [UInt16]) -> [UInt8] {
        groups.flatMap { [UInt8(truncatingIfNeeded: $0 >> 8), UInt8(truncatingIfNeeded: $0)] }
    }

    private static func isDecimalDigit(_ character: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(character)
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
