import STUNWire
import Testing
import TURNCore

struct PeerPolicyAddressParsingTests {
    static let embedded: [(String, String?)] = [
        ("::ffff:127.0.0.1", "127.0.0.1"),
        ("::ffff:8.8.8.8", "8.8.8.8"),
        ("::10.0.0.1", "10.0.0.1"),
        ("64:ff9b::a00:1", "10.0.0.1"),
        ("2002:7f00:1::1", "127.0.0.1"),
        ("2002:c000:22d:1::5", "192.0.2.45"),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "192.0.2.45"),
        ("::", nil),
        ("::1", nil),
        ("2001:db8::1", nil),
        ("64:ff9b:1::a00:1", nil),
        ("::ffff:0:a00:1", nil),
        ("10.0.0.1", nil),
    ]

    @Test(arguments: embedded)
    func findsTheIPv4AddressInsideAnIPv6Address(text: String, expected: String?) throws {
        let address = try IPAddress(parsing: text)
        #expect(try address.embeddedIPv4Address == expected.map { try IPAddress(parsing: $0) })
    }
}
