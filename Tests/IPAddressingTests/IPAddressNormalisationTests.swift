import IPAddressing
import Testing

/// The rules that used to differ between the configuration, the peer policy and the gateway:
/// zone identifiers, IPv4-mapped addresses and ranges, and how a range is written back.
struct IPAddressNormalisationTests {
    @Test(arguments: ["fe80::1%eth0", "fe80::1%1", "::1%", "ff02::1%25lo"])
    func zoneIdentifiersAreRefusedUnlessIgnoredExplicitly(text: String) throws {
        #expect(throws: IPAddressParseError.zoneIdentifier) { try IPAddress(parsing: text) }
        let address = try IPAddress(parsing: text, zoneIdentifiers: .ignored)
        #expect(address == (try IPAddress(parsing: String(text.prefix { $0 != "%" }))))
    }

    @Test func ignoringAZoneDoesNotOpenOtherForms() {
        for text in ["10.0.0.1%eth0", "%eth0", "fe80::1%eth0/64", "[fe80::1%eth0]"] {
            #expect((try? IPAddress(parsing: text, zoneIdentifiers: .ignored)) == nil, "\(text)")
        }
    }

    @Test(arguments: ["fe80::1%eth0", "fe80::%eth0/64", "fe80::1%eth0-fe80::9"])
    func rangesNeverTakeAZone(text: String) {
        let error = #expect(throws: IPAddressParseError.self) { try IPAddressRange(parsing: text) }
        #expect(error?.code == .zoneIdentifier)
    }

    @Test(arguments: [
        ("::ffff:192.0.2.7", "192.0.2.7"), ("::FFFF:10.0.0.1", "10.0.0.1"), ("192.0.2.7", "192.0.2.7"),
        ("::ffff:0:a00:1", "::ffff:0:a00:1"), ("::10.0.0.1", "::a00:1"), ("2001:db8::1", "2001:db8::1"),
    ])
    func unmappingTurnsOnlyIPv4MappedAddressesIntoIPv4(text: String, expected: String) throws {
        #expect(try IPAddress(parsing: text).unmapped == IPAddress(parsing: expected))
    }

    @Test(arguments: [
        ("::ffff:0:0/96", "0.0.0.0/0"), ("::ffff:10.0.0.0/104", "10.0.0.0/8"),
        ("::ffff:10.0.0.1-::ffff:10.0.0.9", "10.0.0.1-10.0.0.9"), ("::/0", "::/0"), ("10.0.0.0/8", "10.0.0.0/8"),
        ("::fffe:0:0/95", "::fffe:0:0/95"),
    ])
    func unmappingARangeInsideTheMappedBlockGivesTheIPv4Range(text: String, expected: String) throws {
        let range = try IPAddressRange(parsing: text)
        #expect(range.unmapped == (try IPAddressRange(parsing: expected)))
    }

    @Test func aMappedPrefixShorterThan96HasHostBitsSet() {
        #expect(throws: IPAddressParseError.hostBitsSet) { try IPAddressRange(parsing: "::ffff:10.0.0.0/95") }
        #expect(throws: IPAddressParseError.invalidPrefixLength) { try IPAddressRange(parsing: "::ffff:10.0.0.0/129") }
    }

    @Test(arguments: [
        ("10.0.0.0-10.255.255.255", "10.0.0.0/8"), ("0.0.0.0-255.255.255.255", "0.0.0.0/0"), ("::/0", "::/0"),
        ("10.0.0.1-10.0.0.9", "10.0.0.1-10.0.0.9"), ("10.0.0.2-10.0.0.3", "10.0.0.2/31"), ("10.0.0.1-10.0.0.2", "10.0.0.1-10.0.0.2"),
        ("10.0.0.7/32", "10.0.0.7"), ("2001:db8::-2001:db8::ffff", "2001:db8::/112"),
    ])
    func writesABlockAsCIDRAndAnythingElseAsFirstLast(text: String, expected: String) throws {
        let range = try IPAddressRange(parsing: text)
        #expect(range.description == expected)
        #expect(try IPAddressRange(parsing: range.description) == range)
    }

    @Test func coturnRangesAndCIDRBlocksAreOneSyntax() throws {
        let range = try IPAddressRange(parsing: "10.0.0.1-10.0.0.9")
        #expect(range.contains(try IPAddress(parsing: "10.0.0.1")))
        #expect(range.contains(try IPAddress(parsing: "10.0.0.9")))
        #expect(!range.contains(try IPAddress(parsing: "10.0.0.10")))
        #expect(range.unmapped.contains(try IPAddress(parsing: "::ffff:10.0.0.5").unmapped))
    }
}
