import DatagramEngine
import Dispatch
import NIOCore

/// A ``DatagramEngine``'s thread seen as a NIO `EventLoop`, so that the relay loop it hosts
/// schedules its timers, completes its promises and takes posted work exactly as the relay
/// loops on NIO's threads do. Tasks and timers run between the engine's turns.
final class EngineEventLoop: EventLoop, @unchecked Sendable {
    /// The engine whose thread this is.
    let engine: DatagramEngine

    init(engine: DatagramEngine) {
        self.engine = engine
    }

    var inEventLoop: Bool { self.engine.isCurrent }

    func execute(_ task: @escaping @Sendable () -> Void) {
        self.engine.execute(task)
    }

    func scheduleTask<T>(deadline: NIODeadline, _ task: @escaping @Sendable () throws -> T) -> Scheduled<T> {
        let promise: EventLoopPromise<T> = self.makePromise()
        let id = self.engine.schedule(at: deadline.uptimeNanoseconds) {
            // On the engine's thread, the promise's loop: the value never crosses threads.
            let isolated = promise.assumeIsolatedUnsafeUnchecked()
            do {
                isolated.succeed(try task())
            } catch {
                promise.fail(error)
            }
        }
        return Scheduled(promise: promise) { [engine] in
            engine.cancelTimer(id) { promise.fail(EventLoopError.cancelled) }
        }
    }

    func scheduleTask<T>(in delay: TimeAmount, _ task: @escaping @Sendable () throws -> T) -> Scheduled<T> {
        self.scheduleTask(deadline: .now() + delay, task)
    }

    func shutdownGracefully(queue: DispatchQueue, _ callback: @escaping @Sendable ((any Error)?) -> Void) {
        self.engine.stop { queue.async { callback(nil) } }
    }
}
