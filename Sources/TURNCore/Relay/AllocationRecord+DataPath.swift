import STUNWire

/// The record's answers to the data path's per-packet questions (RFC 8656 Sections 11 and 12).
///
/// Each is `mutating` only so that the processor runs it on the record in place in its table
/// (through the dictionary's modify accessor) rather than on a copy, which would retain every
/// reference the record holds; none changes the record.
extension AllocationRecord {
    /// Where ChannelData on channel `number` goes at `now`, or nil to drop it.
    mutating func channelRoute(number: UInt16, at now: ContinuousClock.Instant) -> TURNRequestProcessor.ChannelRoute? {
        guard let peer = self.allocation.channelDataPeer(number: number, at: now) else { return nil }
        return TURNRequestProcessor.ChannelRoute(peer: peer, endpoint: self.endpoint)
    }

    /// How data from `peer` reaches the client at `now`.
    mutating func delivery(from peer: STUNTransportAddress, at now: ContinuousClock.Instant) -> TURNRequestProcessor.PeerDelivery {
        self.allocation.delivery(from: peer, at: now)
    }

    /// What the allocation says about a Send indication to `peer` at `now`, before the peer
    /// policy is asked: nil when it is not a live UDP allocation.
    mutating func sendCheck(to peer: STUNTransportAddress, at now: ContinuousClock.Instant) -> SendCheck? {
        guard self.tcp == nil, !self.allocation.isExpired(at: now) else { return nil }
        guard self.allocation.relays(peer.address.family) else { return .wrongFamily }
        return self.allocation.hasPermission(for: peer.address, at: now) ? .permitted(self.endpoint) : .noPermission
    }

    /// The allocation's verdict on a Send indication's peer.
    enum SendCheck {
        /// The allocation relays no address of the peer's family.
        case wrongFamily
        /// The peer has no permission.
        case noPermission
        /// The peer has a permission; the data leaves through this endpoint's relay socket.
        case permitted((any AllocationEndpoint)?)
    }
}
