#if canImport(Glibc)
import Glibc
#endif
import IPAddressing
import Testing
import TURNTestSupport

/// Seeded random inputs: the parsers never trap, and what they accept reads back the same.
struct IPAddressFuzzTests {
    static let inputCount = 20_000

    /// The characters addresses and ranges are made of, a few that are not, and some that are
    /// not ASCII.
    static let alphabet: [Character] = Array("0123456789abcdefABCDEF:::...--//%[] \t\nxg+") + [
        "\u{0}", "é", "١", "\u{FF1A}", "🙂",
    ]

    static let seeds = [
        "10.0.0.0/8", "2001:db8::/32", "10.0.0.0-10.255.255.255", "::ffff:1.2.3.4", "::1",
        "1:2:3:4:5:6:7:8", "255.255.255.255", "fe80::1", "64:ff9b::a00:1-64:ff9b::a00:ff",
    ]

    /// A random string: either random characters, or a valid seed with a few edits.
    static func randomInput(using generator: inout SplitMix64) -> String {
        if Bool.random(using: &generator), let seed = Self.seeds.randomElement(using: &generator) {
            var characters = Array(seed)
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let character = Self.alphabet.randomElement(using: &generator) ?? "0"
                let index = Int.random(in: 0...characters.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: characters.insert(character, at: index)
                case 1 where index < characters.count: characters.remove(at: index)
                default: if index < characters.count { characters[index] = character }
                }
            }
            return String(characters)
        }
        let length = Int.random(in: 0...Int.random(in: 1...120, using: &generator), using: &generator)
        return String((0..<length).map { _ in Self.alphabet.randomElement(using: &generator) ?? "0" })
    }

    @Test func parsersNeverTrapAndWhatTheyAcceptReadsBack() throws {
        var generator = SplitMix64(seed: 0x5EED_0001)
        var acceptedAddresses = 0
        var acceptedRanges = 0
        for _ in 0..<Self.inputCount {
            let input = Self.randomInput(using: &generator)
            if let address = try? IPAddress(parsing: input) {
                acceptedAddresses += 1
                #expect(try IPAddress(parsing: address.description) == address, "\(input.debugDescription)")
            }
            if let range = try? IPAddressRange(parsing: input) {
                acceptedRanges += 1
                #expect(range.lowerBound.isIPv4 == range.upperBound.isIPv4, "\(input.debugDescription)")
                #expect(range.contains(range.lowerBound) && range.contains(range.upperBound))
                #expect(try IPAddressRange(parsing: range.description) == range, "\(input.debugDescription)")
            }
        }
        #expect(acceptedAddresses > 100)
        #expect(acceptedRanges > acceptedAddresses)
    }

    #if canImport(Glibc)
    /// coturn reads its address options with `inet_pton`: accept exactly
    /// what it accepts, with the same value.
    @Test func acceptsExactlyWhatInetPtonAccepts() throws {
        var generator = SplitMix64(seed: 0x5EED_0002)
        for _ in 0..<Self.inputCount {
            let input = Self.randomInput(using: &generator)
            guard !input.utf8.contains(0) else { continue }
            let parsed = try? IPAddress(parsing: input)
            #expect(parsed == Self.inetPton(input), "\(input.debugDescription)")
        }
    }

    static func inetPton(_ text: String) -> IPAddress? {
        var ipv4 = [UInt8](repeating: 0, count: 4)
        if inet_pton(AF_INET, text, &ipv4) == 1 { return IPAddress(bytes: ipv4) }
        var ipv6 = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET6, text, &ipv6) == 1 { return IPAddress(bytes: ipv6) }
        return nil
    }
    #endif

    @Test func everyAddressReadsBackFromItsText() throws {
        var generator = SplitMix64(seed: 0x5EED_0003)
        for _ in 0..<Self.inputCount {
            let address = Self.randomAddress(using: &generator)
            #expect(try IPAddress(parsing: address.description) == address, "\(address)")
            #expect(try IPAddressRange(parsing: "\(address)") == IPAddressRange(address))
        }
    }

    /// Random IPv4 and IPv6 addresses, the IPv6 ones with runs of zero groups.
    static func randomAddress(using generator: inout SplitMix64) -> IPAddress {
        guard Bool.random(using: &generator) else { return .v4(UInt32.random(in: 0...UInt32.max, using: &generator)) }
        var value: UInt128 = 0
        for _ in 0..<8 {
            let zero = Int.random(in: 0..<3, using: &generator) == 0
            let group = zero ? 0 : UInt16.random(in: 0...UInt16.max, using: &generator)
            value = value << 16 | UInt128(group)
        }
        return .v6(high: UInt64(truncatingIfNeeded: value >> 64), low: UInt64(truncatingIfNeeded: value))
    }
}
