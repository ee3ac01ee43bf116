import NIOCore
import STUNWire
import Testing
import TURNServer

struct SocketAddressConversionTests {
    @Test(arguments: ["127.0.0.1", "203.0.113.255", "::1", "2001:db8::8:800:200c:417a", "::ffff:10.0.0.1"])
    func convertsWithoutLosingTheAddress(host: String) throws {
        let socketAddress = try SocketAddress(ipAddress: host, port: 3478)
        let converted = try #require(STUNTransportAddress(socketAddress))
        #expect(converted.port == 3478)
        let roundTrip = try SocketAddress(ipAddress: converted.address.description, port: 3478)
        #expect(roundTrip == socketAddress)
    }
}
