#if canImport(Glibc)
package import Glibc
#endif
package import CDatagramCalls
package import STUNWire

/// Takes the messages of an outbox to the kernel without waiting: an io_uring submission.
package protocol DatagramSubmitter: AnyObject {
    /// Queues message `index` (from `descriptor`); false when it cannot be queued.
    func submit(_ message: UnsafePointer<msghdr>, from descriptor: CInt, index: Int) -> Bool
}

/// The UDP datagrams one thread sends, gathered while a batch of received datagrams is
/// handled and sent when it ends (RFC 8656 Section 12 data, and every UDP response).
///
/// Each datagram is copied into an arena the thread owns, so queuing one allocates nothing. At
/// the end of the batch the messages go out: one `sendmmsg` per run of datagrams from one
/// socket, or, with a ``submitter``, one io_uring submission each, sent with the engine's next
/// wait. A run of same-size datagrams from one socket to one destination becomes a single
/// message with UDP generic segmentation offload (`UDP_SEGMENT`), as long as each segment fits
/// a 1,500-byte path MTU.
///
/// Nothing here can close a socket. Every send error is counted per datagram by errno in
/// ``errors`` and the datagram dropped; a segmented message the kernel refuses is sent again
/// one datagram at a time.
package final class DatagramOutbox {
    /// Bytes of datagrams held before the outbox sends early.
    package static let arenaCapacity = 1 << 20
    /// Messages held before the outbox sends early.
    package static let maximumMessages = 256
    /// The most segments in one segmented message (the kernel allows 64).
    package static let maximumSegments = 64
    /// The most bytes in one segmented message (under the 64 KiB a UDP datagram can carry).
    package static let maximumSegmentedBytes = 60_000
    /// The largest IPv4 segment that fits a 1,500-byte MTU (20-byte IP, 8-byte UDP header).
    package static let segmentLimitIPv4 = 1_472
    /// The largest IPv6 segment that fits a 1,500-byte MTU (40-byte IP, 8-byte UDP header).
    package static let segmentLimitIPv6 = 1_452

    private static let controlHeaderSize = MemoryLayout<cmsghdr>.size
    private static let controlSpace = (MemoryLayout<cmsghdr>.size + MemoryLayout<UInt16>.size + 7) & ~7

    /// Datagrams dropped by send errors, by errno, until the next metrics flush.
    package var errors = SendErrorCounts()
    /// Where flushed messages go instead of `sendmmsg` (an io_uring engine).
    package weak var submitter: (any DatagramSubmitter)?
    /// Messages submitted whose completion has not come back; the arena is not reused before.
    package private(set) var inFlight = 0
    private let segmentation: Bool
    private let arena: UnsafeMutableRawPointer
    private var arenaUsed = 0
    private let headers: UnsafeMutablePointer<tg_mmsghdr>
    private let vectors: UnsafeMutablePointer<iovec>
    private let names: UnsafeMutablePointer<sockaddr_storage>
    private let controls: UnsafeMutableRawPointer
    private var senders: [DatagramSender] = []
    private var destinations: [STUNTransportAddress] = []
    private var segmentSizes: [Int] = []
    private var segmentCounts: [Int] = []

    /// Creates an empty outbox.
    ///
    /// - Parameter segmentation: whether to send runs as segmented messages (Linux with
    ///   `UDP_SEGMENT`; off elsewhere and in tests of the plain path).
    package init(segmentation: Bool = DatagramOutbox.kernelSegments) {
        self.segmentation = segmentation
        self.arena = .allocate(byteCount: Self.arenaCapacity, alignment: 16)
        self.headers = .allocate(capacity: Self.maximumMessages)
        self.vectors = .allocate(capacity: Self.maximumMessages)
        self.names = .allocate(capacity: Self.maximumMessages)
        self.controls = .allocate(byteCount: Self.controlSpace * Self.maximumMessages, alignment: 8)
        self.senders.reserveCapacity(Self.maximumMessages)
        self.destinations.reserveCapacity(Self.maximumMessages)
        self.segmentSizes.reserveCapacity(Self.maximumMessages)
        self.segmentCounts.reserveCapacity(Self.maximumMessages)
    }

    deinit {
        self.arena.deallocate()
        self.headers.deallocate()
        self.vectors.deallocate()
        self.names.deallocate()
        self.controls.deallocate()
    }

    /// Datagrams waiting to be sent.
    package var count: Int { self.senders.count }

    /// Whether the kernel takes `UDP_SEGMENT` (Linux 4.18), probed once.
    package static let kernelSegments: Bool = {
        let probe = socket(AF_INET, CInt(SOCK_DGRAM.rawValue), 0)
        guard probe >= 0 else { return false }
        defer { _ = close(probe) }
        var value: CInt = 0
        var length = socklen_t(MemoryLayout<CInt>.size)
        return getsockopt(probe, CInt(IPPROTO_UDP), tg_udp_segment, &value, &length) == 0
    }()

    /// Queues a datagram of `length` bytes from `sender` to `destination`; `write` fills in
    /// its bytes (exactly `length` of them).
    package func enqueue(
        from sender: DatagramSender,
        to destination: STUNTransportAddress,
        length: Int,
        _ write: (UnsafeMutableRawBufferPointer) -> Void
    ) {
        guard length <= Self.arenaCapacity else {
            self.errors.record(EMSGSIZE)
            return
        }
        if self.arenaUsed + length > Self.arenaCapacity || self.count == Self.maximumMessages {
            self.sendNow()
        }
        guard self.inFlight == 0 else {
            // Submitted messages still point into the arena (the kernel has not completed them).
            self.errors.record(ENOBUFS)
            return
        }
        let bytes = UnsafeMutableRawBufferPointer(start: self.arena + self.arenaUsed, count: length)
        write(bytes)
        self.arenaUsed += length
        if self.extendLastMessage(from: sender, to: destination, length: length) { return }
        let index = self.count
        self.vectors[index] = iovec(iov_base: bytes.baseAddress, iov_len: length)
        var header = msghdr()
        header.msg_name = UnsafeMutableRawPointer(self.names + index)
        header.msg_namelen = SocketAddressStorage(destination).copy(into: self.names + index)
        header.msg_iov = self.vectors + index
        header.msg_iovlen = 1
        self.headers[index] = tg_mmsghdr(msg_hdr: header, msg_len: 0)
        self.senders.append(sender)
        self.destinations.append(destination)
        self.segmentSizes.append(length)
        self.segmentCounts.append(1)
    }

    /// Sends everything queued: submitted when there is a ``submitter``, else one `sendmmsg`
    /// per run of datagrams from one socket.
    package func flush() {
        guard let submitter = self.submitter, self.inFlight == 0 else {
            self.sendNow()
            return
        }
        for index in 0..<self.count {
            let sender = self.senders[index]
            let message = UnsafeRawPointer(self.headers + index).assumingMemoryBound(to: msghdr.self)
            if sender.isOpen, submitter.submit(message, from: sender.descriptor, index: index) {
                self.inFlight += 1
            } else {
                self.errors.record(sender.isOpen ? ENOBUFS : EBADF, datagrams: self.segmentCounts[index])
            }
        }
        if self.inFlight == 0 { self.reset() }
    }

    /// The completion of submitted message `index`: bytes sent, or -errno.
    package func completed(_ index: Int, result: CInt) {
        guard self.inFlight > 0, index < self.count else { return }
        if result < 0 {
            let code = -result
            if self.segmentCounts[index] > 1, Self.segmentationMayBeAtFault(code) {
                self.sendSegmentsOneByOne(index, through: self.senders[index])
            } else {
                self.errors.record(code, datagrams: self.segmentCounts[index])
            }
        }
        self.inFlight -= 1
        if self.inFlight == 0 { self.reset() }
    }

    /// Sends everything queued with `sendmmsg`, one call per run of datagrams from one socket.
    private func sendNow() {
        guard self.inFlight == 0 else { return }
        var start = 0
        while start < self.count {
            let sender = self.senders[start]
            var end = start + 1
            while end < self.count, self.senders[end] === sender { end += 1 }
            self.send(start..<end, through: sender)
            start = end
        }
        self.reset()
    }

    private func reset() {
        self.senders.removeAll(keepingCapacity: true)
        self.destinations.removeAll(keepingCapacity: true)
        self.segmentSizes.removeAll(keepingCapacity: true)
        self.segmentCounts.removeAll(keepingCapacity: true)
        self.arenaUsed = 0
    }

    /// Adds a datagram that was just written at the end of the arena to the last message when
    /// it continues a run: same socket, destination and size, and room for one more segment.
    private func extendLastMessage(from sender: DatagramSender, to destination: STUNTransportAddress, length: Int) -> Bool {
        let last = self.count - 1
        guard self.segmentation, last >= 0, self.senders[last] === sender, self.segmentSizes[last] == length,
            self.segmentCounts[last] < Self.maximumSegments,
            (self.segmentCounts[last] + 1) * length <= Self.maximumSegmentedBytes,
            length <= (destination.address.family == .ipv4 ? Self.segmentLimitIPv4 : Self.segmentLimitIPv6),
            self.destinations[last] == destination
        else { return false }
        self.segmentCounts[last] += 1
        self.vectors[last].iov_len += length
        if self.segmentCounts[last] == 2 {
            let control = self.controls + last * Self.controlSpace
            var header = cmsghdr()
            header.cmsg_len = Self.controlHeaderSize + MemoryLayout<UInt16>.size
            header.cmsg_level = CInt(IPPROTO_UDP)
            header.cmsg_type = tg_udp_segment
            control.storeBytes(of: header, as: cmsghdr.self)
            control.storeBytes(of: UInt16(length), toByteOffset: Self.controlHeaderSize, as: UInt16.self)
            self.headers[last].msg_hdr.msg_control = control
            self.headers[last].msg_hdr.msg_controllen = Self.controlSpace
        }
        return true
    }

    /// Sends messages `run`, all from `sender`, resuming after each one the kernel refuses.
    private func send(_ run: Range<Int>, through sender: DatagramSender) {
        guard sender.isOpen else {
            self.errors.record(EBADF, datagrams: self.datagrams(in: run))
            return
        }
        var next = run.lowerBound
        while next < run.upperBound {
            let sent = tg_sendmmsg(sender.descriptor, self.headers + next, UInt32(run.upperBound - next), 0)
            if sent > 0 {
                next += Int(sent)
                continue
            }
            let code = sent == 0 ? EAGAIN : errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK {
                // The socket's send buffer is full: the rest of the run would fail the same way.
                self.errors.record(EAGAIN, datagrams: self.datagrams(in: next..<run.upperBound))
                return
            }
            if self.segmentCounts[next] > 1, Self.segmentationMayBeAtFault(code) {
                self.sendSegmentsOneByOne(next, through: sender)
            } else {
                self.errors.record(code, datagrams: self.segmentCounts[next])
            }
            next += 1
        }
    }

    /// Whether `code` may come from segmentation itself (an older kernel, a device without
    /// checksum offload), so the datagrams may still go out one by one.
    private static func segmentationMayBeAtFault(_ code: CInt) -> Bool {
        code == EIO || code == EINVAL || code == EMSGSIZE || code == EOPNOTSUPP || code == ENOPROTOOPT
    }

    /// Sends the segments of message `index` as separate datagrams.
    private func sendSegmentsOneByOne(_ index: Int, through sender: DatagramSender) {
        guard sender.isOpen else {
            self.errors.record(EBADF, datagrams: self.segmentCounts[index])
            return
        }
        let size = self.segmentSizes[index]
        guard let base = self.vectors[index].iov_base else { return }
        for segment in 0..<self.segmentCounts[index] {
            var vector = iovec(iov_base: base + segment * size, iov_len: size)
            let sent = withUnsafeMutablePointer(to: &vector) { vector in
                var header = msghdr()
                header.msg_name = UnsafeMutableRawPointer(self.names + index)
                header.msg_namelen = self.headers[index].msg_hdr.msg_namelen
                header.msg_iov = vector
                header.msg_iovlen = 1
                return sendmsg(sender.descriptor, &header, 0)
            }
            if sent < 0 { self.errors.record(errno) }
        }
    }

    private func datagrams(in run: Range<Int>) -> Int {
        var total = 0
        for index in run { total += self.segmentCounts[index] }
        return total
    }
}
