import IPAddressing
import Testing

struct IPAddressRangeParsingTests {
    static let valid: [(String, String, String)] = [
        ("10.0.0.0/8", "10.0.0.0", "10.255.255.255"),
        ("172.16.0.0/12", "172.16.0.0", "172.31.255.255"),
        ("100.64.0.0/10", "100.64.0.0", "100.127.255.255"),
        ("0.0.0.0/0", "0.0.0.0", "255.255.255.255"),
        ("1.2.3.4/32", "1.2.3.4", "1.2.3.4"),
        ("2001:db8::/32", "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"),
        ("fe80::/10", "fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        ("::/0", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        ("::1/128", "::1", "::1"),
        ("10.0.0.0-10.255.255.255", "10.0.0.0", "10.255.255.255"),
        ("83.166.64.0-83.166.95.255", "83.166.64.0", "83.166.95.255"),
        ("10.0.0.5-10.0.0.5", "10.0.0.5", "10.0.0.5"),
        ("2001:db8::1-2001:db8::ff", "2001:db8::1", "2001:db8::ff"),
        ("::ffff:10.0.0.0-::ffff:10.255.255.255", "::ffff:10.0.0.0", "::ffff:10.255.255.255"),
        ("83.166.68.45", "83.166.68.45", "83.166.68.45"),
        ("2606:4700::1111", "2606:4700::1111", "2606:4700::1111"),
    ]

    @Test(arguments: valid)
    func readsCIDRRangesAndSingleAddresses(text: String, first: String, last: String) throws {
        let range = try IPAddressRange(parsing: text)
        #expect(range.lowerBound == (try IPAddress(parsing: first)))
        #expect(range.upperBound == (try IPAddress(parsing: last)))
        #expect(try IPAddressRange(parsing: range.description) == range)
    }

    static let invalid: [(String, IPAddressParseError)] = [
        ("", .empty),
        ("/8", .empty),
        ("-10.0.0.1", .empty),
        ("10.0.0.1-", .empty),
        ("-", .empty),
        ("10.0.0.0/33", .invalidPrefixLength),
        ("::/129", .invalidPrefixLength),
        ("10.0.0.0/", .invalidPrefixLength),
        ("10.0.0.0/08", .invalidPrefixLength),
        ("10.0.0.0/-1", .invalidPrefixLength),
        ("10.0.0.0/8/8", .invalidPrefixLength),
        ("10.0.0.0/1000", .invalidPrefixLength),
        ("10.0.0.0/ 8", .invalidPrefixLength),
        ("10.0.0.1/8", .hostBitsSet),
        ("2001:db8::1/32", .hostBitsSet),
        ("10.0.0.9-10.0.0.1", .reversedRange),
        ("::2-::1", .reversedRange),
        ("10.0.0.1-::1", .mixedFamilies),
        ("::1-10.0.0.1", .mixedFamilies),
        ("::ffff:10.0.0.1-10.0.0.2", .mixedFamilies),
        ("10.0.0.1-10.0.0.2-10.0.0.3", .invalidIPv4Address),
        ("10.0.0.0-10.0.0.5/8", .invalidIPv4Address),
        ("256.1.1.1", .invalidIPv4Address),
        ("1.2.3", .invalidIPv4Address),
        ("1.2.3.4.5", .invalidIPv4Address),
        ("10.0.0.0 - 10.0.0.5", .invalidIPv4Address),
        ("example.com", .invalidIPv4Address),
        ("::1::", .invalidIPv6Address),
        ("1:2:3:4:5:6:7:8:9", .invalidIPv6Address),
        ("[::1]", .invalidIPv6Address),
        ("fe80::1%eth0", .zoneIdentifier),
        ("fe80::%eth0/64", .zoneIdentifier),
    ]

    @Test(arguments: invalid)
    func refusesWhatCoturnWouldNotReadWithACode(text: String, expected: IPAddressParseError) {
        let error = #expect(throws: IPAddressParseError.self) { try IPAddressRange(parsing: text) }
        #expect(error?.code == expected.code)
        #expect((error?.message.utf8.count ?? .max) < 300)
    }

    @Test func refusesSurroundingWhitespaceWhichTheConfigurationLexerTrims() {
        for text in [" 10.0.0.1", "10.0.0.1 ", "\t", "10.0.0.0/8\n", "::1\r", " "] {
            let error = #expect(throws: IPAddressParseError.self, "\(text.debugDescription)") {
                try IPAddressRange(parsing: text)
            }
            let codes: Set<IPAddressParseError.Code> = [.invalidIPv4Address, .invalidIPv6Address, .invalidPrefixLength]
            #expect(error.map { codes.contains($0.code) } == true)
        }
    }

    @Test func refusesVeryLongInputBeforeReadingIt() {
        let inputs = [
            String(repeating: "1", count: IPAddressRange.maximumTextLength + 1),
            String(repeating: "10.0.0.0-", count: 100_000),
            String(repeating: "é", count: 51),
        ]
        for text in inputs {
            let error = #expect(throws: IPAddressParseError.tooLong) { try IPAddressRange(parsing: text) }
            #expect((error?.message.utf8.count ?? .max) < 300)
        }
        #expect(throws: IPAddressParseError.invalidIPv4Address) {
            try IPAddressRange(parsing: String(repeating: "1", count: IPAddressRange.maximumTextLength))
        }
    }

    @Test func explainsAReversedRange() {
        let error = #expect(throws: IPAddressParseError.self) { try IPAddressRange(parsing: "10.0.0.9-10.0.0.1") }
        #expect(error?.message.contains("10.0.0.9-10.0.0.1") == true)
    }

    @Test func explainsAPrefixLengthOutOfRange() {
        let error = #expect(throws: IPAddressParseError.self) { try IPAddressRange(parsing: "10.0.0.0/33") }
        #expect(error?.message.contains("from 0 to 32") == true)
    }

    @Test func namesTheBlockWhenHostBitsAreSet() {
        let error = #expect(throws: IPAddressParseError.self) { try IPAddressRange(parsing: "10.1.2.3/8") }
        #expect(error?.message.contains("10.0.0.0") == true)
    }

    @Test func containsExactlyItsAddresses() throws {
        let range = try IPAddressRange(parsing: "10.0.0.0/8")
        #expect(range.contains(try IPAddress(parsing: "10.0.0.0")))
        #expect(range.contains(try IPAddress(parsing: "10.255.255.255")))
        #expect(!range.contains(try IPAddress(parsing: "9.255.255.255")))
        #expect(!range.contains(try IPAddress(parsing: "11.0.0.0")))
        #expect(!range.contains(try IPAddress(parsing: "::ffff:10.0.0.1")))
    }

    @Test func neverMixesFamiliesInMembership() throws {
        let everyIPv6 = try IPAddressRange(parsing: "::/0")
        let everyIPv4 = try IPAddressRange(parsing: "0.0.0.0/0")
        #expect(everyIPv6.contains(try IPAddress(parsing: "::ffff:1.2.3.4")))
        #expect(!everyIPv6.contains(try IPAddress(parsing: "1.2.3.4")))
        #expect(everyIPv4.contains(try IPAddress(parsing: "1.2.3.4")))
        #expect(!everyIPv4.contains(try IPAddress(parsing: "::1")))
    }

    @Test func buildsTheSameRangeFromEachForm() throws {
        let cidr = try IPAddressRange(parsing: "192.168.0.0/16")
        let span = try IPAddressRange(parsing: "192.168.0.0-192.168.255.255")
        let built = try IPAddressRange(prefix: .v4(0xC0A8_0000), length: 16)
        #expect(cidr == span)
        #expect(cidr == built)
        #expect(IPAddressRange(.v4(1)) == (try IPAddressRange(parsing: "0.0.0.1")))
    }

    @Test(arguments: [-1, 33, 129, Int.max, Int.min])
    func refusesPrefixLengthsOutsideTheFamilyWidth(length: Int) {
        #expect(throws: IPAddressParseError.invalidPrefixLength) {
            try IPAddressRange(prefix: .v4(0), length: length)
        }
        if length != 33 {
            #expect(throws: IPAddressParseError.invalidPrefixLength) {
                try IPAddressRange(prefix: .v6(high: 0, low: 0), length: length)
            }
        }
    }
}
