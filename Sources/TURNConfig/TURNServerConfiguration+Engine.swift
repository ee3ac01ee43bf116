extension TURNServerConfiguration {
    /// `relay-engine`: how the UDP engines wait for datagrams.
    public enum RelayEngine: String, CaseIterable, Sendable {
        /// io_uring when the kernel and the process's seccomp profile allow it, else epoll.
        case auto
        /// io_uring only: the server does not start without it.
        case ioUring = "io-uring"
        /// epoll, with `recvmmsg` and `sendmmsg`.
        case epoll
    }

    /// The default `sock-buf-size`: 2 MiB, as coturn, so a burst of datagrams from many
    /// clients at once waits in the listener instead of being dropped by the kernel.
    public static let defaultSockBufSize = 2 << 20

    /// The default `relay-batch-wait`, in microseconds.
    public static let defaultRelayBatchWait = 0
}
