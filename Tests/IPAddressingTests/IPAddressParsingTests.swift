import IPAddressing
import Testing

struct IPAddressParsingTests {
    static let validIPv4: [(String, UInt32)] = [
        ("0.0.0.0", 0),
        ("1.2.3.4", 0x0102_0304),
        ("10.0.0.1", 0x0A00_0001),
        ("127.0.0.1", 0x7F00_0001),
        ("169.254.169.254", 0xA9FE_A9FE),
        ("192.0.2.10", 0xC000_020A),
        ("255.255.255.255", 0xFFFF_FFFF),
    ]

    @Test(arguments: validIPv4)
    func readsDottedQuads(text: String, value: UInt32) throws {
        #expect(try IPAddress(parsing: text) == .v4(value))
    }

    static let validIPv6: [(String, UInt64, UInt64)] = [
        ("::", 0, 0),
        ("::1", 0, 1),
        ("1::", 0x0001_0000_0000_0000, 0),
        ("2001:db8::1", 0x2001_0DB8_0000_0000, 1),
        ("2001:DB8::A:1", 0x2001_0DB8_0000_0000, 0x0000_0000_000A_0001),
        ("2001:0db8:0000:0000:0000:0000:0000:0001", 0x2001_0DB8_0000_0000, 1),
        ("1:2:3:4:5:6:7:8", 0x0001_0002_0003_0004, 0x0005_0006_0007_0008),
        ("1:2:3:4:5:6:7::", 0x0001_0002_0003_0004, 0x0005_0006_0007_0000),
        ("::2:3:4:5:6:7:8", 0x0000_0002_0003_0004, 0x0005_0006_0007_0008),
        ("1:2::7:8", 0x0001_0002_0000_0000, 0x0000_0000_0007_0008),
        ("::ffff:1.2.3.4", 0, 0x0000_FFFF_0102_0304),
        ("::FFFF:127.0.0.1", 0, 0x0000_FFFF_7F00_0001),
        ("::127.0.0.1", 0, 0x0000_0000_7F00_0001),
        ("64:ff9b::10.0.0.1", 0x0064_FF9B_0000_0000, 0x0000_0000_0A00_0001),
        ("1:2:3:4:5:6:1.2.3.4", 0x0001_0002_0003_0004, 0x0005_0006_0102_0304),
        ("1::2:3.4.5.6", 0x0001_0000_0000_0000, 0x0000_0002_0304_0506),
        ("fe80::1", 0xFE80_0000_0000_0000, 1),
        ("ff02::1", 0xFF02_0000_0000_0000, 1),
        ("0000:0000:0000:0000:0000:ffff:255.255.255.255", 0, 0x0000_FFFF_FFFF_FFFF),
    ]

    @Test(arguments: validIPv6)
    func readsEveryIPv6TextForm(text: String, high: UInt64, low: UInt64) throws {
        #expect(try IPAddress(parsing: text) == .v6(high: high, low: low))
    }

    static let invalidIPv4 = [
        "256.1.1.1", "1.2.3.256", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "00.0.0.0", "1..2.3",
        "1.2.3.", ".1.2.3", "0x1.2.3.4", "1.2.3.-4", "+1.2.3.4", "1000.2.3.4", "example.com", "localhost",
        "١.٢.٣.٤", "1.2.3.4/", "4294967295",
    ]

    @Test(arguments: invalidIPv4)
    func refusesAnythingButADottedQuad(text: String) {
        #expect(throws: IPAddressParseError.invalidIPv4Address) { try IPAddress(parsing: text) }
    }

    static let invalidIPv6 = [
        "::1::", "1::2::3", ":::", "1:::2", ":1::", "1:", ":1", "::1:", "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1:2:3:4::5:6:7:8", "00000::1",
        "12345::", "::g", "1.2.3.4::", "::ffff:01.2.3.4", "::ffff:1.2.3", "::ffff:1.2.3.4.5",
        "::1.2.3.4:1", "1:2:3:4:5:6:7:1.2.3.4", "[::1]", ":: 1", "::-1", "2001:db8::/32",
    ]

    @Test(arguments: invalidIPv6)
    func refusesMalformedIPv6(text: String) {
        #expect(throws: IPAddressParseError.invalidIPv6Address) { try IPAddress(parsing: text) }
    }

    @Test(arguments: ["fe80::1%eth0", "fe80::1%1", "::1%", "ff02::1%25lo"])
    func refusesZoneIdentifiers(text: String) {
        #expect(throws: IPAddressParseError.zoneIdentifier) { try IPAddress(parsing: text) }
    }

    @Test func refusesTheEmptyString() {
        #expect(throws: IPAddressParseError.empty) { try IPAddress(parsing: "") }
    }

    @Test func refusesWhitespaceAndControlCharacters() {
        for text in ["1.2.3.4 ", " 1.2.3.4", "1.2.3.4\n", "1.2.3.4\0", "\t1.2.3.4", "1.2.3.4\r\n"] {
            #expect(throws: IPAddressParseError.invalidIPv4Address, "\(text.debugDescription)") {
                try IPAddress(parsing: text)
            }
        }
        for text in ["::1 ", " ::1", "::1\n", "::1\0", "\t::1"] {
            #expect(throws: IPAddressParseError.invalidIPv6Address, "\(text.debugDescription)") {
                try IPAddress(parsing: text)
            }
        }
    }

    @Test func refusesVeryLongInputWithAShortMessage() {
        let inputs = [
            String(repeating: "1", count: 100_000),
            String(repeating: "1.", count: 50_000),
            String(repeating: ":", count: 100_000),
            "::" + String(repeating: "1:", count: 50_000),
        ]
        for text in inputs {
            let error = #expect(throws: IPAddressParseError.self) { try IPAddress(parsing: text) }
            #expect((error?.message.utf8.count ?? .max) < 200)
        }
    }

    @Test func quotesTheOffendingTextInTheMessage() {
        let error = #expect(throws: IPAddressParseError.self) { try IPAddress(parsing: "300.1.1.1") }
        #expect(error?.message.contains("'300.1.1.1'") == true)
    }
}
