public import TURNAuth

/// One allocation as a cluster sees it: a node-unique id and whom it counts against.
public struct ObservedAllocation: Hashable, Sendable {
    /// Unique on this node for the process's life.
    public var id: UInt64
    /// The USERNAME that made it.
    public var username: String
    /// Its credential's user, room and bandwidth class.
    public var grant: CredentialGrant
}

/// Traffic relayed by one allocation, from its start (RFC 8656 counts none of this; coturn's
/// statsdb reports it as rcvp/rcvb/sentp/sentb).
public struct AllocationTraffic: Hashable, Sendable {
    /// Packets and bytes received from the client and sent to peers.
    public var packetsToPeers: Int
    public var bytesToPeers: Int
    /// Packets and bytes received from peers and sent to the client.
    public var packetsToClient: Int
    public var bytesToClient: Int

    public init(packetsToPeers: Int = 0, bytesToPeers: Int = 0, packetsToClient: Int = 0, bytesToClient: Int = 0) {
        self.packetsToPeers = packetsToPeers
        self.bytesToPeers = bytesToPeers
        self.packetsToClient = packetsToClient
        self.bytesToClient = bytesToClient
    }
}

/// What a cluster (Redis) learns from the relay: asked before an allocation is made (a
/// cluster-wide quota), told when one starts and ends, and given interim traffic totals.
///
/// Called from event loops: every method returns at once; ``admit(_:)`` is awaited off the
/// loop, and the answer comes back to it.
public protocol AllocationObserver: Sendable {
    /// Whether the cluster allows one more allocation for the user; false refuses it with 486.
    func admit(_ allocation: ObservedAllocation) async -> Bool
    /// The allocation exists, with `lifetimeSeconds` to live unless refreshed.
    func allocationCreated(_ allocation: ObservedAllocation, lifetimeSeconds: Int)
    /// The traffic since the previous interim report (or the start), while the allocation lives.
    func trafficUpdated(_ allocation: ObservedAllocation, traffic: AllocationTraffic)
    /// The allocation ended, with its final totals.
    func allocationEnded(_ allocation: ObservedAllocation, traffic: AllocationTraffic)
}
