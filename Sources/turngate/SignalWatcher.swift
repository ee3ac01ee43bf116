import Dispatch
import Foundation

/// Runs an action each time the process receives a signal, until cancelled: SIGUSR1 drains,
/// SIGHUP reloads the configuration.
final class SignalWatcher {
    private let source: any DispatchSourceSignal

    /// Starts watching `signalNumber`; its default action (ending the process) is turned off.
    init(_ signalNumber: Int32, action: @escaping @Sendable () -> Void) {
        signal(signalNumber, SIG_IGN)
        self.source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        self.source.setEventHandler(handler: action)
        self.source.resume()
    }

    /// Stops watching.
    func cancel() {
        self.source.cancel()
    }
}
