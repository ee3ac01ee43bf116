#if canImport(Glibc)
import Glibc
#endif
import CDatagramCalls
import Synchronization

/// Work handed to an engine from other threads (control path only): a locked queue and an
/// eventfd the engine's wait watches, written only when the queue was empty.
final class EngineInbox: Sendable {
    /// The eventfd that wakes the engine.
    let descriptor: CInt
    private let queue = Mutex<[@Sendable () -> Void]>([])

    init() throws(DatagramSocketError) {
        let descriptor = eventfd(0, CInt(EFD_NONBLOCK) | CInt(EFD_CLOEXEC))
        guard descriptor >= 0 else { throw DatagramSocketError(call: "eventfd", errno: errno) }
        self.descriptor = descriptor
    }

    deinit {
        _ = Glibc.close(self.descriptor)
    }

    /// Queues `task` and wakes the engine.
    func post(_ task: @escaping @Sendable () -> Void) {
        let wasEmpty = self.queue.withLock { queue in
            queue.append(task)
            return queue.count == 1
        }
        guard wasEmpty else { return }
        var one: UInt64 = 1
        _ = write(self.descriptor, &one, MemoryLayout<UInt64>.size)
    }

    /// Resets the eventfd after the engine woke on it.
    func acknowledge() {
        var value: UInt64 = 0
        _ = read(self.descriptor, &value, MemoryLayout<UInt64>.size)
    }

    /// Takes every queued task.
    func take() -> [@Sendable () -> Void] {
        self.queue.withLock { queue in
            guard !queue.isEmpty else { return [] }
            defer { queue.removeAll() }
            return queue
        }
    }
}
