import Glibc

/// Preallocated buffers for one `sendmmsg` or `recvmmsg` call: up to ``capacity`` datagrams.
///
/// The memory is allocated once and reused for every batch, so the data path does no heap
/// allocation per packet. Each slot can carry a peer address (for unconnected sockets, such as
/// the forwarder's listener) or none (connected sockets).
final class DatagramBatch {
    /// The most datagrams one call moves.
    let capacity: Int
    /// The bytes each slot holds.
    let slotSize: Int
    /// How many slots are filled (sending) or were filled by the last receive.
    private(set) var count = 0

    private let storage: UnsafeMutableRawPointer
    private let iovecs: UnsafeMutablePointer<iovec>
    private let headers: UnsafeMutableRawPointer
    private let addresses: UnsafeMutablePointer<sockaddr_in>

    /// Allocates `capacity` slots of `slotSize` bytes.
    init(capacity: Int = 64, slotSize: Int = 2048) {
        self.capacity = capacity
        self.slotSize = slotSize
        self.storage = .allocate(byteCount: capacity * slotSize, alignment: 16)
        self.storage.initializeMemory(as: UInt8.self, repeating: 0, count: capacity * slotSize)
        self.iovecs = .allocate(capacity: capacity)
        self.headers = .allocate(byteCount: capacity * LinuxCalls.mmsghdrStride, alignment: 8)
        self.headers.initializeMemory(as: UInt8.self, repeating: 0, count: capacity * LinuxCalls.mmsghdrStride)
        self.addresses = .allocate(capacity: capacity)
        self.addresses.initialize(repeating: sockaddr_in(), count: capacity)
        for index in 0..<capacity {
            self.iovecs[index] = iovec(iov_base: self.storage + index * slotSize, iov_len: slotSize)
        }
    }

    deinit {
        self.storage.deallocate()
        self.iovecs.deallocate()
        self.headers.deallocate()
        self.addresses.deallocate()
    }

    /// Appends a datagram: copies `template`, then lets `patch` write into the slot.
    ///
    /// - Parameters:
    ///   - template: the datagram's bytes (at most ``slotSize``).
    ///   - destination: where to send it on an unconnected socket, or nil.
    ///   - patch: called with the slot's memory to fill in per-packet fields.
    func append(_ template: UnsafeRawBufferPointer, to destination: IPv4Endpoint? = nil,
                patch: (UnsafeMutableRawPointer) -> Void = { _ in }) {
        let slot = self.storage + self.count * self.slotSize
        let length = min(template.count, self.slotSize)
        if let base = template.baseAddress { slot.copyMemory(from: base, byteCount: length) }
        patch(slot)
        self.setSlot(self.count, length: length, destination: destination)
        self.count += 1
    }

    private func setSlot(_ index: Int, length: Int, destination: IPv4Endpoint?) {
        self.iovecs[index].iov_len = length
        var header = msghdr()
        header.msg_iov = self.iovecs + index
        header.msg_iovlen = 1
        if let destination {
            self.addresses[index] = destination.sockaddr
            header.msg_name = UnsafeMutableRawPointer(self.addresses + index)
            header.msg_namelen = socklen_t(MemoryLayout<sockaddr_in>.size)
        }
        self.setHeader(index, header)
    }

    /// Sends the filled slots with `sendmmsg` and empties the batch.
    ///
    /// - Returns: how many datagrams the kernel took (fewer when the send buffer is full).
    @discardableResult
    func flush(on fd: Int32) -> Int {
        defer { self.count = 0 }
        guard self.count > 0 else { return 0 }
        let sent = LinuxCalls.sendmmsg(fd, self.headers, UInt32(self.count), 0, nil)
        return sent > 0 ? Int(sent) : 0
    }

    /// Sends the filled slots, all of `segmentSize` bytes, as UDP GSO super-datagrams (one
    /// `sendmsg` with `UDP_SEGMENT` per 64 KB), and empties the batch.
    ///
    /// The kernel splits each super-datagram back into `segmentSize`-byte datagrams, so the
    /// receiver sees exactly what ``flush(on:)`` would send, at a fraction of the sender's cost.
    ///
    /// - Returns: how many datagrams the kernel took, or nil (batch kept) when the socket or
    ///   kernel refuses `UDP_SEGMENT`, so the caller can fall back to ``flush(on:)``.
    func flushSegmented(on fd: Int32, segmentSize: Int) -> Int? {
        guard self.count > 0 else { return 0 }
        let perCall = max(1, min(64, 65_000 / max(1, segmentSize)))
        var control = (UInt64(0), Int32(0), Int32(0), UInt64(0))   // one cmsghdr + uint16, 8-byte aligned
        var start = 0
        var sent = 0
        while start < self.count {
            let segments = min(perCall, self.count - start)
            let result = withUnsafeMutableBytes(of: &control) { raw -> Int in
                raw.storeBytes(of: UInt64(MemoryLayout<UInt64>.size + 8 + 2), toByteOffset: 0, as: UInt64.self)
                raw.storeBytes(of: LinuxCalls.solUDP, toByteOffset: 8, as: Int32.self)
                raw.storeBytes(of: LinuxCalls.udpSegment, toByteOffset: 12, as: Int32.self)
                raw.storeBytes(of: UInt16(segmentSize), toByteOffset: 16, as: UInt16.self)
                var header = msghdr()
                header.msg_iov = self.iovecs + start
                header.msg_iovlen = segments
                header.msg_control = raw.baseAddress
                header.msg_controllen = 24
                return sendmsg(fd, &header, 0)
            }
            if result < 0 {
                let code = errno
                if code == EAGAIN || code == ENOBUFS { break }
                guard sent == 0 else { break }
                return nil
            }
            sent += segments
            start += segments
        }
        self.count = 0
        return sent
    }

    /// Receives up to ``capacity`` datagrams with `recvmmsg` (non-blocking socket).
    ///
    /// - Parameter withAddresses: whether to record each sender's address.
    /// - Returns: how many arrived; read them with ``datagram(_:)`` and ``sender(_:)``.
    func receive(on fd: Int32, withAddresses: Bool = false) -> Int {
        for index in 0..<self.capacity {
            self.iovecs[index].iov_len = self.slotSize
            var header = msghdr()
            header.msg_iov = self.iovecs + index
            header.msg_iovlen = 1
            if withAddresses {
                header.msg_name = UnsafeMutableRawPointer(self.addresses + index)
                header.msg_namelen = socklen_t(MemoryLayout<sockaddr_in>.size)
            }
            self.setHeader(index, header)
        }
        let received = LinuxCalls.recvmmsg(fd, self.headers, UInt32(self.capacity), 0, nil)
        self.count = received > 0 ? Int(received) : 0
        return self.count
    }

    /// The bytes of received datagram `index`.
    func datagram(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: self.storage + index * self.slotSize, count: Int(self.length(index)))
    }

    private func setHeader(_ index: Int, _ header: msghdr) {
        let slot = self.headers + index * LinuxCalls.mmsghdrStride
        slot.storeBytes(of: header, as: msghdr.self)
        slot.storeBytes(of: UInt32(0), toByteOffset: LinuxCalls.mmsghdrLengthOffset, as: UInt32.self)
    }

    private func length(_ index: Int) -> UInt32 {
        self.headers.load(fromByteOffset: index * LinuxCalls.mmsghdrStride + LinuxCalls.mmsghdrLengthOffset, as: UInt32.self)
    }

    /// The sender of received datagram `index` (when received with addresses).
    func sender(_ index: Int) -> IPv4Endpoint { IPv4Endpoint(self.addresses[index]) }
}
