public import STUNWire

extension TURNRequestProcessor {
    /// Where a Send indication's data goes, decided without allocating (RFC 8656 Section 11.2).
    public enum SendDecision: Hashable, Sendable {
        /// Relay the bytes at `data` (a range of the received message) to `peer` from the relay
        /// socket of the allocation's `endpoint`.
        case forward(peer: STUNTransportAddress, data: Range<Int>, endpoint: EndpointReference?)
        /// Drop it silently: indications are never answered.
        case drop(TURNIgnoreReason)
    }

    /// Decides a Send indication received on `fiveTuple`: the data goes to the peer when the
    /// 5-tuple has a live allocation and the peer is of its family, allowed by the peer policy
    /// and has a permission. Allocation-free: the per-packet path for Send indications;
    /// `mutating` for the reason ``channelRoute(on:channel:now:)`` is.
    public mutating func sendIndication(_ bytes: Span<UInt8>, on fiveTuple: FiveTuple, now: ContinuousClock.Instant) -> SendDecision {
        guard let view = try? SendIndicationView(parsing: bytes) else { return .drop(.malformedIndication) }
        guard let index = self.records.index(forKey: fiveTuple), let check = self.records.values[index].sendCheck(to: view.peer, at: now) else {
            return .drop(.noAllocation)
        }
        switch check {
        case .wrongFamily:
            return .drop(.deniedPeer)
        case _ where !self.configuration.peerPolicy.permits(peer: view.peer):
            return .drop(.deniedPeer)
        case .noPermission:
            return .drop(.noPermission)
        case .permitted(let endpoint):
            return .forward(peer: view.peer, data: view.data, endpoint: endpoint.map(EndpointReference.init))
        }
    }

    /// Where ChannelData goes: the peer bound to its channel, from the allocation's endpoint.
    public struct ChannelRoute {
        /// The peer bound to the channel.
        public let peer: STUNTransportAddress
        /// The allocation's endpoint, whose relay socket sends to the peer.
        public let endpoint: (any AllocationEndpoint)?
    }

    /// Where ChannelData from the client on `fiveTuple` goes, or nil to drop it.
    ///
    /// RFC 8656 Section 12.6: the allocation must be live (not merely unswept), the channel
    /// must be bound and the peer must still have a permission. Allocation-free: dictionary
    /// lookups only, and no copy of the allocation. `mutating` only so that a caller holding
    /// the processor in a class property calls it in place rather than on a copy.
    public mutating func channelRoute(on fiveTuple: FiveTuple, channel: UInt16, now: ContinuousClock.Instant) -> ChannelRoute? {
        guard let index = self.records.index(forKey: fiveTuple) else { return nil }
        return self.records.values[index].channelRoute(number: channel, at: now)
    }

    /// The endpoints the transport stored with the allocations.
    public var endpoints: [any AllocationEndpoint] { self.records.values.compactMap(\.endpoint) }

    /// The endpoint the transport stored with the allocation of `fiveTuple`, if any.
    public func endpoint(of fiveTuple: FiveTuple) -> (any AllocationEndpoint)? {
        guard let index = self.records.index(forKey: fiveTuple) else { return nil }
        return self.records.values[index].endpoint
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
    /// allocation has expired, even before ``expire(now:)`` sweeps it. Allocation-free, with
    /// no copy of the allocation; `mutating` for the reason ``channelRoute(on:channel:now:)`` is.
    public mutating func peerDelivery(on fiveTuple: FiveTuple, from peer: STUNTransportAddress, now: ContinuousClock.Instant) -> PeerDelivery {
        guard let index = self.records.index(forKey: fiveTuple) else { return .drop }
        return self.records.values[index].delivery(from: peer, at: now)
    }

    /// Deletes expired allocations, sweeps expired permissions and channels, and returns the
    /// quota slots of EVEN-PORT reservations that lapsed unclaimed.
    ///
    /// - Returns: a ``TURNAction/closeRelay(_:endpoint:)`` for each allocation deleted.
    public mutating func expire(now: ContinuousClock.Instant) -> [TURNAction] {
        for reservation in self.reservations.removeExpired(now: now) {
            self.quotas.release(user: reservation.user, room: reservation.room)
        }
        var actions: [TURNAction] = []
        for fiveTuple in Array(self.records.keys) {
            if self.records[fiveTuple]?.allocation.isExpired(at: now) == true {
                if let close = self.removeAllocation(fiveTuple) { actions.append(close) }
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
        return Array(self.records.keys).compactMap { self.removeAllocation($0) }
    }
}
