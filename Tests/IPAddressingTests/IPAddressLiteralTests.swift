import IPAddressing
import Testing
import TURNTestSupport

/// The address literals every address option takes (`listening-ip`, `relay-ip`,
/// `external-ip`, ...), as bytes.
struct IPAddressLiteralTests {
    @Test(arguments: [
        ("127.0.0.1", [127, 0, 0, 1] as [UInt8]),
        ("0.0.0.0", [0, 0, 0, 0]),
        ("255.255.255.255", [255, 255, 255, 255]),
        ("::", [UInt8](repeating: 0, count: 16)),
        ("::1", [UInt8](repeating: 0, count: 15) + [1]),
        ("2001:db8::ff00:42:8329", [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0x00, 0x00, 0x42, 0x83, 0x29]),
        ("2001:0DB8:0000:0000:0000:FF00:0042:8329", [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0x00, 0x00, 0x42, 0x83, 0x29]),
        ("::ffff:192.0.2.128", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 128]),
        ("1:2:3:4:5:6:7:8", [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]),
        ("1::", [0, 1] + [UInt8](repeating: 0, count: 14)),
        ("1:2:3:4:5:6:7::", [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0]),
        ("::2:3:4:5:6:7:8", [0, 0, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]),
        ("1:2:3:4:5:6:1.2.3.4", [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4]),
    ])
    func parsesLiterals(text: String, bytes: [UInt8]) throws {
        let address = try IPAddress(parsing: text)
        #expect(address.bytes == bytes)
        #expect(address.isIPv4 == (bytes.count == 4))
    }

    @Test(arguments: [
        "", ".", "1.2.3", "1.2.3.4.", "1.2.3.4.5", "256.0.0.1", "1.2.3.-4", "01.2.3.4", "1.2.3.00", "1234.1.1.1", " 1.2.3.4",
        "1.2.3.4 ", "1.2.3.4/32", "::ffff:1.2.3", ":", ":::", "1:::2", "1::2::3", ":1::2", "1::2:", "12345::", "g::",
        "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1.2.3.4::", "1.2.3.4:5::",
        "[::1]", "fe80::1%eth0", "localhost", "١.٢.٣.٤", "1:2:3:4:5:6:7:1.2.3.4",
    ])
    func refusesEverythingElse(text: String) {
        #expect((try? IPAddress(parsing: text)) == nil)
    }

    @Test
    func comparesByAddressNotSpelling() throws {
        #expect(try IPAddress(parsing: "::1") == IPAddress(parsing: "0:0:0:0:0:0:0:1"))
        #expect(try IPAddress(parsing: "2001:DB8::1") == IPAddress(parsing: "2001:db8:0::1"))
    }

    @Test
    func randomAddressesParseToTheRightSize() {
        var generator = SplitMix64(seed: 99)
        let alphabet = Array("0123456789abcdefABCDEF:.:%[]/ ".utf8)
        for _ in 0..<5000 {
            let bytes = (0..<Int.random(in: 0...45, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? 0 }
            if let address = try? IPAddress(parsing: String(decoding: bytes, as: UTF8.self)) {
                #expect(address.bytes.count == (address.isIPv4 ? 4 : 16))
            }
        }
        for _ in 0..<1000 {
            let octets = (0..<4).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let v4 = try? IPAddress(parsing: octets.map(String.init).joined(separator: "."))
            #expect(v4?.bytes == octets)
            let groups = (0..<8).map { _ in UInt16.random(in: .min ... .max, using: &generator) }
            let v6 = try? IPAddress(parsing: groups.map { String($0, radix: 16) }.joined(separator: ":"))
            #expect(v6?.bytes == groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        }
    }
}
