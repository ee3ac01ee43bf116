import Glibc

/// The Linux system calls Swift's `Glibc` module does not import: `sendmmsg`, `recvmmsg` and
/// epoll, resolved once from libc with `dlsym`, with their structures laid out by hand.
///
/// The structures follow the Linux ABI: `struct mmsghdr` is a `msghdr` followed by a 32-bit
/// length, padded to 8-byte alignment; `struct epoll_event` is packed (12 bytes) on x86-64
/// and naturally aligned (16 bytes) elsewhere.
enum LinuxCalls {
    typealias MultipleMessages = @convention(c) (Int32, UnsafeMutableRawPointer?, UInt32, Int32, UnsafeMutableRawPointer?) -> Int32
    typealias EpollCreate = @convention(c) (Int32) -> Int32
    typealias EpollControl = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    typealias EpollWait = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
    typealias EpollWait2 = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, UnsafePointer<timespec>?, UnsafeRawPointer?) -> Int32

    /// `sendmmsg(fd, msgvec, vlen, flags)`; the fifth argument is ignored by libc.
    static let sendmmsg: MultipleMessages = Self.resolve("sendmmsg")
    /// `recvmmsg(fd, msgvec, vlen, flags, timeout)`.
    static let recvmmsg: MultipleMessages = Self.resolve("recvmmsg")
    /// `epoll_create1(flags)`.
    static let epollCreate1: EpollCreate = Self.resolve("epoll_create1")
    /// `epoll_ctl(epfd, op, fd, event)`.
    static let epollControl: EpollControl = Self.resolve("epoll_ctl")
    /// `epoll_wait(epfd, events, maxevents, timeout)`.
    static let epollWait: EpollWait = Self.resolve("epoll_wait")
    /// `epoll_pwait2(epfd, events, maxevents, timeout, sigmask)` (nanosecond timeout), when libc has it.
    static let epollWait2: EpollWait2? = dlsym(nil, "epoll_pwait2").map { unsafeBitCast($0, to: EpollWait2.self) }

    /// The size of `struct mmsghdr`.
    static let mmsghdrStride = (MemoryLayout<msghdr>.size + 4 + 7) & ~7
    /// The offset of `msg_len` in `struct mmsghdr`.
    static let mmsghdrLengthOffset = MemoryLayout<msghdr>.size

    #if arch(x86_64)
    /// The size of `struct epoll_event`.
    static let epollEventStride = 12
    /// The offset of `data` in `struct epoll_event`.
    static let epollDataOffset = 4
    #else
    static let epollEventStride = 16
    static let epollDataOffset = 8
    #endif

    /// `SOL_UDP`.
    static let solUDP: Int32 = 17
    /// `UDP_SEGMENT` (Linux 4.18): the GSO segment size of a `sendmsg`.
    static let udpSegment: Int32 = 103

    /// `EPOLLIN`.
    static let epollIn: UInt32 = 0x001
    /// `EPOLL_CTL_ADD`.
    static let epollControlAdd: Int32 = 1
    /// `EPOLL_CTL_DEL`.
    static let epollControlDelete: Int32 = 2
    /// `EPOLL_CLOEXEC`.
    static let epollCloseOnExec: Int32 = 0o2_000_000

    private static func resolve<F>(_ name: String) -> F {
        // RTLD_DEFAULT is the null handle in glibc. These symbols are in every glibc since 2.12;
        // their absence means a libc this tool cannot run on, a state the type system can't rule out.
        guard let symbol = dlsym(nil, name) else { fatalError("libc lacks \(name)") }
        return unsafeBitCast(symbol, to: F.self)
    }
}
