import TURNMetrics

/// Packets and bytes one event loop relayed since the metrics were last updated.
///
/// Confined to its loop: plain additions per packet instead of atomic ones, added to
/// ``RelayMetrics`` by ``flush(into:)`` once a second.
struct LoopTraffic {
    private var packetsToPeers = 0
    private var bytesToPeers = 0
    private var packetsToClients = 0
    private var bytesToClients = 0

    /// One relayed packet of `bytes` application bytes.
    mutating func record(_ direction: RelayMetrics.Direction, bytes: Int) {
        switch direction {
        case .clientToPeer:
            self.packetsToPeers &+= 1
            self.bytesToPeers &+= bytes
        case .peerToClient:
            self.packetsToClients &+= 1
            self.bytesToClients &+= bytes
        }
    }

    /// Adds what was recorded to `metrics` and starts over.
    mutating func flush(into metrics: RelayMetrics) {
        if self.packetsToPeers > 0 {
            metrics.relayed(.clientToPeer, packets: self.packetsToPeers, bytes: self.bytesToPeers)
        }
        if self.packetsToClients > 0 {
            metrics.relayed(.peerToClient, packets: self.packetsToClients, bytes: self.bytesToClients)
        }
        self = LoopTraffic()
    }
}
