#if canImport(Glibc)
import DatagramEngine
import Glibc
#endif
import STUNWire
import Testing
@testable import TURNServer

/// The outbox against real loopback sockets: datagrams arrive whole and in order, runs are
/// segmented and still arrive one by one, and a send error only counts.
struct DatagramOutboxTests {
    static func sender(ipv6: Bool = false) throws -> DatagramSender {
        let loopback: IPAddress = ipv6 ? .v6(high: 0, low: 1) : .v4(0x7F00_0001)
        return try DatagramSender.open(boundTo: SocketAddressStorage(STUNTransportAddress(address: loopback, port: 0)), options: .init())
    }

    static func enqueue(_ bytes: [UInt8], from sender: DatagramSender, to destination: STUNTransportAddress, in outbox: DatagramOutbox) {
        outbox.enqueue(from: sender, to: destination, length: bytes.count) { out in
            bytes.withUnsafeBytes { out.copyMemory(from: $0) }
        }
    }

    @Test(arguments: [false, true])
    func deliversEveryDatagramWholeAndInOrder(segmentation: Bool) throws {
        let receiver = try UDPTestSocket()
        let sender = try Self.sender()
        let outbox = DatagramOutbox(segmentation: segmentation)
        let sent: [[UInt8]] = (0..<40).map { index in [UInt8](repeating: UInt8(index), count: index < 30 ? 200 : 100 + index) }
        for datagram in sent {
            Self.enqueue(datagram, from: sender, to: receiver.address, in: outbox)
        }
        #expect(outbox.count == (segmentation ? 11 : 40))
        outbox.flush()
        #expect(receiver.receiveAll() == sent)
        #expect(outbox.count == 0)
    }

    @Test func neverSegmentsPastThePathMTU() throws {
        let receiver = try UDPTestSocket()
        let sender = try Self.sender()
        let outbox = DatagramOutbox(segmentation: true)
        let big = [UInt8](repeating: 7, count: DatagramOutbox.segmentLimitIPv4 + 1)
        for _ in 0..<3 { Self.enqueue(big, from: sender, to: receiver.address, in: outbox) }
        #expect(outbox.count == 3)
        outbox.flush()
        #expect(receiver.receiveAll() == [big, big, big])
    }

    @Test func aFailingDestinationCostsOnlyItsDatagrams() throws {
        let receiver = try UDPTestSocket()
        let sender = try Self.sender()
        let outbox = DatagramOutbox(segmentation: true)
        let portZero = STUNTransportAddress(address: .v4(0x7F00_0001), port: 0)
        let mappedOnIPv4 = STUNTransportAddress(address: .v6(high: 0, low: 0xFFFF_7F00_0001), port: receiver.address.port)
        Self.enqueue([1], from: sender, to: receiver.address, in: outbox)
        for _ in 0..<3 { Self.enqueue([2, 2], from: sender, to: portZero, in: outbox) }
        Self.enqueue([3], from: sender, to: mappedOnIPv4, in: outbox)
        Self.enqueue([4], from: sender, to: receiver.address, in: outbox)
        outbox.flush()
        #expect(receiver.receiveAll() == [[1], [4]])
        #expect(outbox.errors.count("EINVAL") == 3)
        #expect(outbox.errors.count("EAFNOSUPPORT") == 1)
        #expect(sender.isOpen)
        Self.enqueue([5], from: sender, to: receiver.address, in: outbox)
        outbox.flush()
        #expect(receiver.receive() == [5])
    }

    @Test func anIPv4MappedPeerOnAnIPv6OnlySocketIsCountedNotFatal() throws {
        let receiver = try UDPTestSocket(ipv6: true)
        let sender = try Self.sender(ipv6: true)
        let outbox = DatagramOutbox()
        let mapped = STUNTransportAddress(address: .v6(high: 0, low: 0xFFFF_7F00_0001), port: 9)
        Self.enqueue([1], from: sender, to: mapped, in: outbox)
        Self.enqueue([2], from: sender, to: receiver.address, in: outbox)
        outbox.flush()
        #expect(outbox.errors.count("ENETUNREACH") == 1)
        #expect(receiver.receiveAll() == [[2]])
    }

    @Test func aClosedSenderDropsAndCounts() throws {
        let receiver = try UDPTestSocket()
        let sender = try Self.sender()
        let outbox = DatagramOutbox()
        Self.enqueue([1], from: sender, to: receiver.address, in: outbox)
        sender.close()
        outbox.flush()
        #expect(outbox.errors.count("EBADF") == 1)
        close(sender.descriptor)
        #expect(receiver.receive() == nil)
    }

    @Test func sendsEarlyWhenTheArenaFills() throws {
        let receiver = try UDPTestSocket()
        let sender = try Self.sender()
        let outbox = DatagramOutbox(segmentation: false)
        let datagram = [UInt8](repeating: 9, count: 60_000)
        let count = DatagramOutbox.arenaCapacity / datagram.count + 2
        for _ in 0..<count { Self.enqueue(datagram, from: sender, to: receiver.address, in: outbox) }
        #expect(outbox.count < count)
        outbox.flush()
        #expect(receiver.receiveAll().count == count)
    }
}
