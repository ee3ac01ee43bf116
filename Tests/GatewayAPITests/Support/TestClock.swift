import Foundation
import GatewayAPI
import Synchronization

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_767_225_600)) { self.current = Mutex(start) }

    var now: Date { self.current.withLock { $0 } }

    func advance(by seconds: TimeInterval) { self.current.withLock { $0 += seconds } }

    var gatewayClock: GatewayClock { GatewayClock(now: { self.now }) }
}
