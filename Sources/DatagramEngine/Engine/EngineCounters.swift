/// What an engine dropped on the receive side, since the last time they were taken: plain
/// counters on the engine's thread.
package struct EngineCounters: Equatable, Sendable {
    /// Datagrams longer than the receive buffer of their socket (MSG_TRUNC), dropped whole.
    package var truncated = 0
    /// Datagrams whose source is not an IPv4 or IPv6 address.
    package var unknownSource = 0
    /// Receive errors (ICMP errors reported on the socket, among others).
    package var receiveErrors = 0
    /// Times the shared receive buffers ran out and a socket was read again later.
    package var bufferShortages = 0
    /// Times io_uring's completion queue was full and completions waited in the kernel.
    package var completionOverflows = 0

    package init() {}
}
