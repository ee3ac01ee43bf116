import Dispatch
import Synchronization

/// Runs async code from libFuzzer's synchronous callback.
enum FuzzAsync {
    /// The value of `body`, waiting on this thread until it is done.
    static func wait<Value: Sendable>(_ body: @escaping @Sendable () async -> Value) -> Value {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<Value?>(nil)
        Task {
            let value = await body()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        guard let value = result.withLock({ $0 }) else { fatalError("the task ended without a value") }
        return value
    }
}
