/// What the gateway's admin API and readiness check need from the relay.
///
/// The executable implements it over its relay servers; tests use a double.
public protocol RelayControl: Sendable {
    /// The live allocations that `filter` names.
    func allocations(matching filter: AllocationFilter) async -> [AllocationSnapshot]
    /// Ends the live allocations that `filter` names; returns how many ended.
    func endAllocations(matching filter: AllocationFilter) async -> Int
    /// Stops accepting new allocations; existing ones run on until the drain deadline.
    func drain() async
    /// Whether every relay listener is bound.
    func readiness() async -> RelayReadiness
    /// The URIs to hand out instead of `turn-uris`: in a cluster, those of the least-loaded
    /// healthy node; nil to hand out `turn-uris`.
    func preferredURIs() async -> [String]?
}

extension RelayControl {
    /// A single node hands out its own `turn-uris`.
    public func preferredURIs() async -> [String]? { nil }
}
