/// The node's state as `/readyz` and the `turn_readiness` metric report it.
public enum RelayReadiness: String, Sendable, Hashable, Codable, CaseIterable {
    /// Listeners are still being bound.
    case starting
    /// Every listener is bound.
    case ready
    /// The relay accepts no new allocations.
    case draining
    /// A listener closed without being asked to; the node is stopping.
    case listenerDown = "listener_down"
    /// Redis is required (`redis-optional` not set) and cannot be reached.
    case redisUnreachable = "redis_unreachable"
}
