import STUNWire
import Testing

struct IPAddressTests {
    @Test(arguments: [
        (IPAddress.v6(groups: 0, 0, 0, 0, 0, 0, 0, 1), "::1"),
        (.v6(groups: 0, 0, 0, 0, 0, 0, 0, 0), "::"),
        (.v6(groups: 0x2001, 0xDB8, 0, 0, 0, 0, 0, 1), "2001:db8::1"),
        (.v6(groups: 0, 0, 0, 0, 0, 0xFFFF, 0x7F00, 1), "::ffff:7f00:1"),
        (.v6(groups: 0, 0, 0, 0x1, 0x2, 0x3, 0x4, 0x5), "::1:2:3:4:5"),
        (.v6(groups: 0x2001, 0xDB8, 0, 0, 0, 0, 0, 0), "2001:db8::"),
        (.v6(groups: 1, 0, 0, 0, 0, 0, 0, 0), "1::"),
        (.v6(groups: 0x2001, 0xDB8, 0, 1, 1, 1, 1, 1), "2001:db8:0:1:1:1:1:1"),
        (.v6(groups: 0, 1, 1, 1, 1, 1, 1, 1), "0:1:1:1:1:1:1:1"),
        (.v6(groups: 1, 1, 1, 1, 1, 1, 1, 0), "1:1:1:1:1:1:1:0"),
        (.v6(groups: 0x2001, 0, 0, 1, 0, 0, 0, 1), "2001:0:0:1::1"),
        (.v6(groups: 0x2001, 0xDB8, 0, 0, 1, 0, 0, 1), "2001:db8::1:0:0:1"),
        (
            .v6(groups: 0x2001, 0xDB8, 0x1234, 0x5678, 0x11, 0x2233, 0x4455, 0x6677),
            "2001:db8:1234:5678:11:2233:4455:6677"
        ),
        (.v6(groups: 0xFE80, 0, 0, 0, 0xABCD, 0xEF01, 0x2345, 0x6789), "fe80::abcd:ef01:2345:6789"),
        (
            .v6(groups: 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF),
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
        ),
        (.v4(0xC000_0201), "192.0.2.1"),
        (.v4(0), "0.0.0.0"),
        (.v4(0xFFFF_FFFF), "255.255.255.255"),
        (.v4(0x7F00_0001), "127.0.0.1"),
        (.v4(0x0A00_FF09), "10.0.255.9"),
    ])
    func rendersRFC5952Text(address: IPAddress, text: String) {
        #expect(address.description == text)
    }

    @Test func bytesRoundTrip() throws {
        let v4: [UInt8] = [192, 0, 2, 1]
        let v6: [UInt8] = [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
        let address4 = try #require(IPAddress(bytes: v4))
        let address6 = try #require(IPAddress(bytes: v6))
        #expect(address4 == .v4(0xC000_0201))
        #expect(address6 == .v6(groups: 0x2001, 0xDB8, 0, 0, 0, 0, 0, 1))
        #expect(address4.bytes == v4)
        #expect(address6.bytes == v6)
        #expect(address4.family == .ipv4)
        #expect(address6.family == .ipv6)
    }

    @Test(arguments: [0, 1, 3, 5, 8, 15, 17, 32])
    func otherByteCountsAreNotAddresses(count: Int) {
        #expect(IPAddress(bytes: Array(repeating: UInt8(1), count: count)) == nil)
    }

    @Test func transportAddressText() {
        #expect(STUNTransportAddress(address: .v4(0x0102_0304), port: 5).description == "1.2.3.4:5")
        #expect(STUNTransportAddress(address: .v6(groups: 0, 0, 0, 0, 0, 0, 0, 1), port: 5).description == "[::1]:5")
    }
}
