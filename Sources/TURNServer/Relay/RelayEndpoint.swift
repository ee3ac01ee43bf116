import NIOCore
import STUNWire
import TURNCore

/// The transport side of one allocation: how to reach its client, its relay socket, and
/// the NIO socket addresses of its peers, built once per peer so that relaying a packet
/// creates none.
final class RelayEndpoint {
    let fiveTuple: FiveTuple
    let link: ClientLink
    var relayChannel: (any Channel)?
    /// The IPv6 relay socket of a dual allocation.
    var additionalRelayChannel: (any Channel)?
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
    /// Datagrams to one peer waiting for the end of the read batch (UDP segmentation offload).
    var segmentBatch: SegmentBatch?
    /// ChannelData to the client (UDP) waiting for the end of the read batch.
    var clientSegmentBatch: SegmentBatch?
    /// Whether the loop will write this endpoint's batches at the end of the read batch.
    var awaitsBatchWrite = false
    /// The cluster's id and view of the allocation, when a cluster observes allocations.
    var observed: ObservedAllocation?
    /// Traffic totals, logged when the allocation ends.
    var packetsToPeers = 0
    var bytesToPeers = 0
    var packetsToClient = 0
    var bytesToClient = 0
    private var peerAddresses: [STUNTransportAddress: SocketAddress] = [:]

    init(fiveTuple: FiveTuple, link: ClientLink, bandwidth: Int?, now: ContinuousClock.Instant) {
        self.fiveTuple = fiveTuple
        self.link = link
        self.openedAt = now
        self.toPeers = bandwidth.map { TokenBucket(bytesPerSecond: $0, now: now) }
        self.toClient = bandwidth.map { TokenBucket(bytesPerSecond: $0, now: now) }
    }

    /// The most peer addresses cached per allocation; past it the cache starts over, so a
    /// client spraying ports of one permitted peer cannot grow it without bound.
    static let peerAddressCacheLimit = 64

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
    func relayChannel(for family: STUNAddressFamily) -> (any Channel)? {
        guard let additional = self.additionalRelayChannel, family == .ipv6 else { return self.relayChannel }
        return additional
    }

    /// The NIO address of `peer`, cached after the first use.
    func socketAddress(for peer: STUNTransportAddress) -> SocketAddress? {
        if let cached = self.peerAddresses[peer] { return cached }
        guard let address = try? SocketAddress(peer) else { return nil }
        if self.peerAddresses.count >= Self.peerAddressCacheLimit {
            self.peerAddresses.removeAll(keepingCapacity: true)
        }
        self.peerAddresses[peer] = address
        return address
    }
}
