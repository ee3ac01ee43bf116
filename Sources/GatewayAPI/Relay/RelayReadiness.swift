/// The relay's state as `/readyz` reports it.
public enum RelayReadiness: String, Sendable, Hashable, Codable {
    /// Listeners are still being bound.
    case starting
    /// Every listener is bound.
    case ready
    /// The relay accepts no new allocations.
    case draining
    /// A listener closed without being asked to; the node is stopping.
    case listenerDown = "listener_down"
}
