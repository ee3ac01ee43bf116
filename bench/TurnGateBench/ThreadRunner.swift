import Dispatch
import Foundation
import Synchronization

/// Runs bodies on dedicated OS threads and waits for all of them.
///
/// The data path needs real threads that never yield to a cooperative pool: each one spins
/// on its own sockets for the whole run.
enum ThreadRunner {
    /// Runs `body(0)`, ..., `body(count - 1)` on `count` new threads and returns the results in order.
    static func run<R: Sendable>(count: Int, _ body: @escaping @Sendable (Int) -> R) -> [R] {
        let results = Mutex<[Int: R]>([:])
        let done = DispatchSemaphore(value: 0)
        for index in 0..<count {
            let thread = Thread {
                let value = body(index)
                results.withLock { $0[index] = value }
                done.signal()
            }
            thread.start()
        }
        for _ in 0..<count { done.wait() }
        return results.withLock { table in (0..<count).compactMap { table[$0] } }
    }
}
