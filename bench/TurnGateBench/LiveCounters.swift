import Synchronization

/// Running totals the worker threads bump once per batch and the progress line reads.
final class LiveCounters: Sendable {
    /// Datagrams sent by clients (client→peer leg).
    let clientSent = Atomic<Int>(0)
    /// Datagrams received by peers (client→peer leg).
    let peerReceived = Atomic<Int>(0)
    /// Datagrams sent by peers (peer→client leg).
    let peerSent = Atomic<Int>(0)
    /// Datagrams received by clients (peer→client leg).
    let clientReceived = Atomic<Int>(0)
    /// Set to stop the progress thread.
    let finished = Atomic<Bool>(false)

    /// Creates zeroed counters.
    init() {}

    /// A snapshot: (client sent, peer received, peer sent, client received).
    func snapshot() -> (Int, Int, Int, Int) {
        (self.clientSent.load(ordering: .relaxed), self.peerReceived.load(ordering: .relaxed),
         self.peerSent.load(ordering: .relaxed), self.clientReceived.load(ordering: .relaxed))
    }
}
