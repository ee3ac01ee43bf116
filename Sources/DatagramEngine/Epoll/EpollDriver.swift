#if canImport(Glibc)
import Glibc
#endif
import CDatagramCalls

/// The engine's epoll backend: one epoll per engine, and one receive array shared by all its
/// sockets: each ready socket is read with one `recvmmsg` of up to ``batch`` datagrams, each
/// into a slot that holds any UDP datagram.
///
/// Used when io_uring is unavailable (container seccomp profiles deny it) or chosen with
/// `relay-engine = epoll`. Sockets are level-triggered: a socket with more datagrams than one
/// `recvmmsg` takes is read again on the next turn, after every other ready socket.
final class EpollDriver: EngineDriver {
    /// Datagrams per `recvmmsg`.
    static let batch = 32
    /// Bytes per receive slot: any UDP datagram (65,507 bytes of payload) fits.
    static let slotSize = 65_536
    /// The most `recvmmsg` calls per turn on a listener: it carries every client's datagrams
    /// while a relay socket carries one allocation's, so it is read until it is empty (or
    /// 2,048 datagrams) where a relay socket is read once.
    static let listenerRounds = 64
    /// Events per `epoll_pwait2`.
    static let maximumEvents = 256

    private let descriptor: CInt
    private let wakeDescriptor: CInt
    private let events: UnsafeMutablePointer<epoll_event>
    private let messages: UnsafeMutablePointer<tg_mmsghdr>
    private let vectors: UnsafeMutablePointer<iovec>
    private let names: UnsafeMutablePointer<sockaddr_storage>
    private let slots: UnsafeMutableRawPointer
    private var pacing = PacedDrain()

    var submitter: (any DatagramSubmitter)? { nil }

    init(wakeDescriptor: CInt) throws(DatagramSocketError) {
        let descriptor = epoll_create1(CInt(EPOLL_CLOEXEC))
        guard descriptor >= 0 else { throw DatagramSocketError(call: "epoll_create1", errno: errno) }
        self.descriptor = descriptor
        self.wakeDescriptor = wakeDescriptor
        self.events = .allocate(capacity: Self.maximumEvents)
        self.messages = .allocate(capacity: Self.batch)
        self.vectors = .allocate(capacity: Self.batch)
        self.names = .allocate(capacity: Self.batch)
        self.slots = .allocate(byteCount: Self.batch * Self.slotSize, alignment: 16)
        for index in 0..<Self.batch {
            self.vectors[index] = iovec(iov_base: self.slots + index * Self.slotSize, iov_len: Self.slotSize)
        }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = EngineTag.wake
        guard epoll_ctl(descriptor, EPOLL_CTL_ADD, wakeDescriptor, &event) == 0 else {
            let code = errno
            self.close()
            throw DatagramSocketError(call: "epoll_ctl", errno: code)
        }
    }

    func start() throws(DatagramSocketError) {}

    func add(_ socket: DatagramSocket) throws(DatagramSocketError) {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = socket.tag
        guard epoll_ctl(self.descriptor, EPOLL_CTL_ADD, socket.sender.descriptor, &event) == 0 else {
            throw DatagramSocketError(call: "epoll_ctl", errno: errno)
        }
    }

    func remove(_ socket: DatagramSocket) {
        var event = epoll_event()
        _ = epoll_ctl(self.descriptor, EPOLL_CTL_DEL, socket.sender.descriptor, &event)
    }

    func wait(timeout: Int64?, batchWait: Int64, engine: DatagramEngine) {
        self.pacing.pause(batchWait: batchWait, timeout: timeout)
        var limit = timespec()
        let ready: CInt
        if let timeout {
            limit = timespec(tv_sec: Int(timeout / 1_000_000_000), tv_nsec: Int(timeout % 1_000_000_000))
            ready = epoll_pwait2(self.descriptor, self.events, CInt(Self.maximumEvents), &limit, nil)
        } else {
            ready = epoll_pwait2(self.descriptor, self.events, CInt(Self.maximumEvents), nil, nil)
        }
        self.pacing.turnBegan(received: ready > 0, batchWait: batchWait)
        guard ready > 0 else { return }
        for index in 0..<Int(ready) {
            let tag = self.events[index].data.u64
            if tag == EngineTag.wake {
                engine.wakeUp()
            } else if let socket = engine.socket(tagged: tag) {
                self.read(socket, engine: engine)
            }
        }
    }

    /// Up to ``listenerRounds`` `recvmmsg` calls from a listener, one from a relay socket, each
    /// datagram handed over in turn.
    private func read(_ socket: DatagramSocket, engine: DatagramEngine) {
        for _ in 0..<(socket.role == .listener ? Self.listenerRounds : 1) {
            guard socket.isOpen, self.readOnce(socket, engine: engine) == Self.batch else { return }
        }
    }

    /// One `recvmmsg`; returns how many datagrams it took.
    private func readOnce(_ socket: DatagramSocket, engine: DatagramEngine) -> Int {
        for index in 0..<Self.batch {
            var header = msghdr()
            header.msg_name = UnsafeMutableRawPointer(self.names + index)
            header.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
            header.msg_iov = self.vectors + index
            header.msg_iovlen = 1
            self.messages[index] = tg_mmsghdr(msg_hdr: header, msg_len: 0)
        }
        let received = tg_recvmmsg(socket.sender.descriptor, self.messages, CUnsignedInt(Self.batch), tg_msg_dontwait)
        guard received > 0 else {
            if received < 0, errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR { engine.counters.receiveErrors += 1 }
            return 0
        }
        for index in 0..<Int(received) where socket.isOpen {
            let message = self.messages[index]
            engine.deliver(
                UnsafeRawBufferPointer(start: self.vectors[index].iov_base, count: Int(message.msg_len)),
                from: UnsafeRawPointer(self.names + index), nameLength: Int(message.msg_hdr.msg_namelen),
                truncated: message.msg_hdr.msg_flags & tg_msg_trunc != 0, to: socket)
        }
        return Int(received)
    }

    func close() {
        _ = Glibc.close(self.descriptor)
        self.events.deallocate()
        self.messages.deallocate()
        self.vectors.deallocate()
        self.names.deallocate()
        self.slots.deallocate()
    }
}
