import Synchronization

/// Runs `work` in a task of its own and waits at most `limit` for it: nil when the limit came
/// first. The work is then left to finish alone (a Redis read blocked in hiredis cannot be
/// interrupted), its result unused.
func result<T: Sendable>(within limit: Duration, of work: @escaping @Sendable () async -> T) async -> T? {
    let outcome = FirstOutcome()
    return await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
        Task {
            let value = await work()
            if outcome.claim() { continuation.resume(returning: value) }
        }
        Task {
            try? await Task.sleep(for: limit)
            if outcome.claim() { continuation.resume(returning: nil) }
        }
    }
}

/// Which of two racing tasks finished first: only the first ``claim()`` is true.
private final class FirstOutcome: Sendable {
    private let taken = Atomic<Bool>(false)

    func claim() -> Bool { !self.taken.exchange(true, ordering: .relaxed) }
}
