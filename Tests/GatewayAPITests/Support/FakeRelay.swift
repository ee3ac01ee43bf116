import GatewayAPI
import Synchronization

/// A relay double that records what the admin API asked of it.
final class FakeRelay: RelayControl {
    enum Call: Hashable, Sendable {
        case list(AllocationFilter)
        case end(AllocationFilter)
        case drain
    }

    private let state: Mutex<(calls: [Call], readiness: RelayReadiness)>
    let snapshots: [AllocationSnapshot]

    init(snapshots: [AllocationSnapshot] = [], readiness: RelayReadiness = .ready) {
        self.snapshots = snapshots
        self.state = Mutex(([], readiness))
    }

    var calls: [Call] { self.state.withLock { $0.calls } }

    func setReadiness(_ readiness: RelayReadiness) { self.state.withLock { $0.readiness = readiness } }

    func allocations(matching filter: AllocationFilter) async -> [AllocationSnapshot] {
        self.state.withLock { $0.calls.append(.list(filter)) }
        return self.snapshots.filter { Self.matches($0, filter) }
    }

    func endAllocations(matching filter: AllocationFilter) async -> Int {
        self.state.withLock { $0.calls.append(.end(filter)) }
        return self.snapshots.filter { Self.matches($0, filter) }.count
    }

    func drain() async {
        self.state.withLock {
            $0.calls.append(.drain)
            $0.readiness = .draining
        }
    }

    func readiness() async -> RelayReadiness { self.state.withLock { $0.readiness } }

    private static func matches(_ snapshot: AllocationSnapshot, _ filter: AllocationFilter) -> Bool {
        (filter.user.map { $0 == snapshot.user } ?? true) && (filter.room.map { $0 == snapshot.room } ?? true)
            && (filter.username.map { $0 == snapshot.username } ?? true)
    }
}
