public import STUNWire

extension TURNRequestProcessor {
    /// Where a Send indication's data goes, decided without allocating (RFC 8656 Section 11.2).
    public enum SendDecision: Hashable, Sendable {
        /// Relay the bytes at `data` (a range of the received message) to `peer`.
        case forward(peer: STUNTransportAddress, data: Range<Int>)
        /// Drop it silently: indications are never answered.
        case drop(TURNIgnoreReason)
    }

    /// Decides a Send indication received on `fiveTuple`: the data goes to the peer when the
    /// 5-tuple has a live allocation and the peer is of its family, allowed by the peer policy
    /// and has a permission. Allocation-free: the per-packet path for Send indications.
    public func sendIndication(_ bytes: Span<UInt8>, on fiveTuple: FiveTuple, now: ContinuousClock.Instant) -> SendDecision {
        guard let view = try? SendIndicationView(parsing: bytes) else { return .drop(.malformedIndication) }
        guard let record = self.records[fiveTuple], record.tcp == nil, !record.allocation.isExpired(at: now) else {
            return .drop(.noAllocation)
        }
        let allocation = record.allocation
        switch self.peerCheck(view.peer, allocation: allocation, now: now) {
        case .allowed: return .forward(peer: view.peer, data: view.data)
        case .denied: return .drop(.deniedPeer)
        case .noPermission: return .drop(.noPermission)
        }
    }

    /// Where ChannelData from the client on `fiveTuple` goes: the bound peer, or nil to drop.
    ///
    /// RFC 8656 Section 12.6: the allocation must be live (not merely unswept), the channel
    /// must be bound and the peer must still have a permission. Allocation-free: dictionary
    /// lookups only.
    public func channelPeer(on fiveTuple: FiveTuple, channel: UInt16, now: ContinuousClock.Instant) -> STUNTransportAddress? {
        guard let allocation = self.records[fiveTuple]?.allocation,
            !allocation.isExpired(at: now),
            let binding = allocation.channel(number: channel, at: now),
            allocation.hasPermission(for: binding.peer.address, at: now)
        else { return nil }
        return binding.peer
    }

    /// How data that arrived from `peer` at the relay of `fiveTuple`'s allocation reaches the client.
    public enum PeerDelivery: Hashable, Sendable {
        /// As ChannelData on this channel (RFC 8656 Section 12.7).
        case channel(UInt16)
        /// As a Data indication (Section 11.3).
        case dataIndication
        /// Not at all: no allocation, or no permission for the peer.
        case drop
    }

    /// Decides how data from `peer` is delivered (RFC 8656 Section 11.3): dropped once the
    /// allocation has expired, even before ``expire(now:)`` sweeps it. Allocation-free.
    public func peerDelivery(on fiveTuple: FiveTuple, from peer: STUNTransportAddress, now: ContinuousClock.Instant) -> PeerDelivery {
        guard let allocation = self.records[fiveTuple]?.allocation,
            !allocation.isExpired(at: now),
            allocation.hasPermission(for: peer.address, at: now)
        else { return .drop }
        if let channel = allocation.channelNumber(for: peer, at: now) { return .channel(channel) }
        return .dataIndication
    }

    enum PeerCheck {
        case allowed
        case denied
        case noPermission
    }

    func peerCheck(_ peer: STUNTransportAddress, allocation: Allocation, now: ContinuousClock.Instant) -> PeerCheck {
        guard allocation.relays(peer.address.family),
            self.configuration.peerPolicy.permits(peer: peer)
        else { return .denied }
        return allocation.hasPermission(for: peer.address, at: now) ? .allowed : .noPermission
    }

    /// Deletes expired allocations, sweeps expired permissions and channels, and returns the
    /// quota slots of EVEN-PORT reservations that lapsed unclaimed.
    ///
    /// - Returns: a ``TURNAction/closeRelay(_:)`` for each allocation deleted.
    public mutating func expire(now: ContinuousClock.Instant) -> [TURNAction] {
        for reservation in self.reservations.removeExpired(now: now) {
            self.quotas.release(user: reservation.user, room: reservation.room)
        }
        var actions: [TURNAction] = []
        for fiveTuple in Array(self.records.keys) {
            if self.records[fiveTuple]?.allocation.isExpired(at: now) == true {
                self.removeAllocation(fiveTuple)
                actions.append(.closeRelay(fiveTuple))
            } else {
                self.records[fiveTuple]?.allocation.sweep(at: now)
            }
        }
        return actions
    }

    /// Deletes every allocation and forgets every pending Allocate (shutdown), returning their
    /// quota slots; a relay socket whose bind completes later is closed by
    /// ``completeAllocation(_:relayPort:reservationToken:now:)``.
    public mutating func removeAll() -> [TURNAction] {
        for pending in self.pending.values {
            self.releaseQuota(of: pending)
        }
        self.pending.removeAll()
        let fiveTuples = Array(self.records.keys)
        for fiveTuple in fiveTuples {
            self.removeAllocation(fiveTuple)
        }
        return fiveTuples.map { .closeRelay($0) }
    }
}
