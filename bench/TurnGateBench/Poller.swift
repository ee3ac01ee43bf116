import Glibc

/// A level-triggered epoll set: descriptors registered with a 64-bit tag, polled in batches.
///
/// Not thread-safe: each thread that polls owns its own `Poller`.
final class Poller {
    private let epfd: Int32
    private let capacity: Int
    private let events: UnsafeMutableRawPointer

    /// Creates an epoll instance able to report `capacity` ready descriptors per wait.
    init(capacity: Int = 256) throws(BenchError) {
        self.epfd = LinuxCalls.epollCreate1(LinuxCalls.epollCloseOnExec)
        guard self.epfd >= 0 else { throw UDPSocket.error("epoll_create1", errno) }
        self.capacity = capacity
        self.events = .allocate(byteCount: capacity * LinuxCalls.epollEventStride, alignment: 8)
        self.events.initializeMemory(as: UInt8.self, repeating: 0, count: capacity * LinuxCalls.epollEventStride)
    }

    deinit {
        _ = Glibc.close(self.epfd)
        self.events.deallocate()
    }

    /// Watches `fd` for readability; ``wait(timeoutMilliseconds:_:)`` reports `tag` for it.
    func add(_ fd: Int32, tag: UInt64) throws(BenchError) {
        var event = [UInt8](repeating: 0, count: LinuxCalls.epollEventStride)
        let rc = event.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: LinuxCalls.epollIn, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: tag, toByteOffset: LinuxCalls.epollDataOffset, as: UInt64.self)
            return LinuxCalls.epollControl(self.epfd, LinuxCalls.epollControlAdd, fd, raw.baseAddress)
        }
        guard rc == 0 else { throw UDPSocket.error("epoll_ctl", errno) }
    }

    /// Stops watching `fd`.
    func remove(_ fd: Int32) {
        var event = [UInt8](repeating: 0, count: LinuxCalls.epollEventStride)
        _ = event.withUnsafeMutableBytes {
            LinuxCalls.epollControl(self.epfd, LinuxCalls.epollControlDelete, fd, $0.baseAddress)
        }
    }

    /// Waits up to `timeoutMilliseconds` (0: do not block) and calls `body` with each ready tag.
    ///
    /// - Returns: how many descriptors were ready.
    @discardableResult
    func wait(timeoutMilliseconds: Int32, _ body: (UInt64) -> Void) -> Int {
        let count = LinuxCalls.epollWait(self.epfd, self.events, Int32(self.capacity), timeoutMilliseconds)
        return self.report(count, body)
    }

    /// Waits up to `timeoutNanoseconds` with `epoll_pwait2` (rounded up to milliseconds where
    /// libc lacks it), so paced senders can sleep until their next datagram is due.
    @discardableResult
    func wait(timeoutNanoseconds: UInt64, _ body: (UInt64) -> Void) -> Int {
        guard let epollWait2 = LinuxCalls.epollWait2 else {
            return self.wait(timeoutMilliseconds: Int32(clamping: (timeoutNanoseconds + 999_999) / 1_000_000), body)
        }
        var timeout = timespec(tv_sec: Int(timeoutNanoseconds / 1_000_000_000), tv_nsec: Int(timeoutNanoseconds % 1_000_000_000))
        let count = epollWait2(self.epfd, self.events, Int32(self.capacity), &timeout, nil)
        return self.report(count, body)
    }

    private func report(_ count: Int32, _ body: (UInt64) -> Void) -> Int {
        guard count > 0 else { return 0 }
        for index in 0..<Int(count) {
            let offset = index * LinuxCalls.epollEventStride + LinuxCalls.epollDataOffset
            body(self.events.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        return Int(count)
    }
}
