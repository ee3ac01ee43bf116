import Synchronization

/// Whether the node is draining: new allocations are refused (508) while existing ones run to
/// their end. Shared by every event loop; read once per Allocate, never per packet.
public final class DrainSwitch: Sendable {
    private let draining = Atomic(false)

    /// Creates a switch that is not draining.
    public init() {}

    /// Whether new allocations are refused.
    public var isDraining: Bool { self.draining.load(ordering: .relaxed) }

    /// Starts draining; returns whether the node was already draining.
    @discardableResult
    public func start() -> Bool { self.draining.exchange(true, ordering: .relaxed) }
}
