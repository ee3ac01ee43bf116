#if canImport(Glibc)
import Glibc
#endif

/// The batching wait where the kernel has none (epoll, and io_uring before Linux 6.12): under
/// load, a turn starts at most every `batchWait` nanoseconds after the last turn that
/// received something, so each finds more datagrams waiting. An idle engine waits as usual,
/// so the first datagram after a quiet spell is not delayed.
struct PacedDrain {
    /// When the last turn that received something began (monotonic nanoseconds), or 0.
    private(set) var lastBusyTurn: UInt64 = 0

    /// Whether the last turn received something.
    var isBusy: Bool { self.lastBusyTurn > 0 }

    /// Sleeps until `batchWait` after the last busy turn, never past `timeout`.
    func pause(batchWait: Int64, timeout: Int64?) {
        guard batchWait > 0, self.lastBusyTurn > 0 else { return }
        let next = self.lastBusyTurn + UInt64(batchWait)
        let now = DatagramEngine.monotonicNow()
        guard now < next else { return }
        let pause = min(Int64(next - now), timeout ?? Int64.max)
        var request = timespec(tv_sec: Int(pause / 1_000_000_000), tv_nsec: Int(pause % 1_000_000_000))
        _ = nanosleep(&request, nil)
    }

    /// Notes how the turn that just began went.
    mutating func turnBegan(received: Bool, batchWait: Int64) {
        self.lastBusyTurn = received && batchWait > 0 ? DatagramEngine.monotonicNow() : 0
    }
}
