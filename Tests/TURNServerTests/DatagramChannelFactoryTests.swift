#if canImport(Glibc)
import DatagramEngine
import Glibc
#endif
import NIOCore
import NIOPosix
import STUNWire
import Testing
@testable import TURNServer

/// Sockets the relay opens itself and NIO reads: reading works, and closing the channel
/// frees the port at once (the sender's duplicate descriptor closes first).
struct DatagramChannelFactoryTests {
    static let loopback = STUNTransportAddress(address: .v4(0x7F00_0001), port: 0)

    static func boundPort(_ channel: any Channel) throws -> UInt16 {
        UInt16(try #require(channel.localAddress?.port))
    }

    @Test func closingTheChannelFreesThePortAtOnce() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel = try await DatagramChannelFactory.bind(Self.loopback, options: .init(), on: group.next()).get()
        let port = try Self.boundPort(channel)
        let address = STUNTransportAddress(address: .v4(0x7F00_0001), port: port)
        #expect(throws: DatagramSocketError.self) { try DatagramSender.probe(SocketAddressStorage(address)) }
        try await channel.close()
        try DatagramSender.probe(SocketAddressStorage(address))
        try await group.shutdownGracefully()
    }

    @Test func theSenderSendsFromTheChannelsOwnPort() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel = try await DatagramChannelFactory.bind(Self.loopback, options: .init(), on: group.next()).get()
        let sender = try #require(try await channel.eventLoop.submit { DatagramSenderHandler.sender(of: channel) }.get())
        let receiver = try UDPTestSocket()
        let outbox = DatagramOutbox()
        DatagramOutboxTests.enqueue([1, 2, 3], from: sender, to: receiver.address, in: outbox)
        outbox.flush()
        #expect(receiver.receive() == [1, 2, 3])
        try await channel.close()
        #expect(!sender.isOpen)
        try await group.shutdownGracefully()
    }

    @Test func aTakenPortIsReportedNotShared() throws {
        let first = try DatagramSender.open(boundTo: SocketAddressStorage(Self.loopback), options: .init(reusePort: true))
        defer { close(first.descriptor) }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(first.descriptor, $0, &length) }
        }
        #expect(named == 0)
        let port = withUnsafeBytes(of: &storage) { UInt16(bigEndian: $0.load(fromByteOffset: 2, as: UInt16.self)) }
        let taken = STUNTransportAddress(address: .v4(0x7F00_0001), port: port)
        let error = #expect(throws: DatagramSocketError.self) { try DatagramSender.probe(SocketAddressStorage(taken)) }
        #expect(error?.errno == EADDRINUSE)
    }
}
