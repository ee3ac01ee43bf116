import DatagramEngine
import NIOCore
import STUNWire
import TURNCore

/// The transport side of one allocation: how to reach its client and its relay sockets.
///
/// Stored by the loop's processor in the allocation's record (the node's one allocation
/// table) and confined, like the processor, to the loop's thread; hence `@unchecked Sendable`.
final class RelayEndpoint: AllocationEndpoint, @unchecked Sendable {
    let fiveTuple: FiveTuple
    let link: ClientLink
    /// The relay socket's channel (a TCP client's allocation, or the listener of a TCP
    /// allocation), closed with the allocation.
    var relayChannel: (any Channel)?
    /// The relay sockets an engine reads (a UDP client's allocation), closed with the allocation.
    var engineRelay: EngineRelaySockets?
    /// The IPv6 relay socket of a dual allocation.
    var additionalRelayChannel: (any Channel)?
    /// What datagrams to peers are sent through (UDP allocations).
    var relaySender: DatagramSender?
    /// The IPv6 sender of a dual allocation.
    var additionalRelaySender: DatagramSender?
    /// The listener and peer connections of a TCP allocation (RFC 6062).
    var tcp: TCPRelayEndpoint?
    /// `max-bps` towards peers, when limited.
    var toPeers: TokenBucket?
    /// `max-bps` towards the client, when limited.
    var toClient: TokenBucket?
    /// When the Allocate arrived.
    let openedAt: ContinuousClock.Instant
    /// The USERNAME and quota user, once the allocation exists.
    var username: String?
    var user: String?
    /// The relayed transport address, once bound.
    var relayed: String?
    /// The cluster's id and view of the allocation, when a cluster observes allocations.
    var observed: ObservedAllocation?
    /// Traffic totals, logged when the allocation ends.
    var packetsToPeers = 0
    var bytesToPeers = 0
    var packetsToClient = 0
    var bytesToClient = 0

    init(fiveTuple: FiveTuple, link: ClientLink, bandwidth: Int?, now: ContinuousClock.Instant) {
        self.fiveTuple = fiveTuple
        self.link = link
        self.openedAt = now
        self.toPeers = bandwidth.map { TokenBucket(bytesPerSecond: $0, now: now) }
        self.toClient = bandwidth.map { TokenBucket(bytesPerSecond: $0, now: now) }
    }

    /// The totals so far, for the cluster.
    var traffic: AllocationTraffic {
        AllocationTraffic(
            packetsToPeers: self.packetsToPeers, bytesToPeers: self.bytesToPeers,
            packetsToClient: self.packetsToClient, bytesToClient: self.bytesToClient)
    }

    private var reported = AllocationTraffic()

    /// The traffic since the previous call, or nil when there was none.
    func trafficSinceLastReport() -> AllocationTraffic? {
        let now = self.traffic
        let interval = AllocationTraffic(
            packetsToPeers: now.packetsToPeers - self.reported.packetsToPeers,
            bytesToPeers: now.bytesToPeers - self.reported.bytesToPeers,
            packetsToClient: now.packetsToClient - self.reported.packetsToClient,
            bytesToClient: now.bytesToClient - self.reported.bytesToClient)
        self.reported = now
        return interval == AllocationTraffic() ? nil : interval
    }

    /// The relay socket that reaches peers of `family`.
    func relaySender(for family: STUNAddressFamily) -> DatagramSender? {
        guard let additional = self.additionalRelaySender, family == .ipv6 else { return self.relaySender }
        return additional
    }

    /// The relay endpoint stored with an allocation: a relay loop gives its processor no other kind.
    static func of(_ endpoint: (any AllocationEndpoint)?) -> RelayEndpoint? {
        endpoint.map { unsafeDowncast($0, to: RelayEndpoint.self) }
    }

    /// Closes the relay sockets (the channels and their senders, or the engine's sockets).
    func closeRelaySockets() {
        self.relaySender?.close()
        self.additionalRelaySender?.close()
        self.relayChannel?.close(promise: nil)
        self.additionalRelayChannel?.close(promise: nil)
        self.engineRelay?.close()
    }
}
