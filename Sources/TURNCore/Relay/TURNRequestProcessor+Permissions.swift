import STUNWire
import TURNAuth

extension TURNRequestProcessor {
    /// CreatePermission, RFC 8656 Section 10.2: every XOR-PEER-ADDRESS must be of the
    /// allocation's family (443) and allowed by the peer policy (403); then all are installed.
    mutating func handleCreatePermission(
        _ request: STUNMessage,
        on fiveTuple: FiveTuple,
        user: AuthenticatedUser,
        now: ContinuousClock.Instant
    ) -> TURNAction {
        guard var record = self.records[fiveTuple] else { return self.error(.allocationMismatch, to: request, user: user) }
        guard let peers = try? request.attributes(XORPeerAddress.self), !peers.isEmpty else {
            return self.error(.badRequest, reason: "XOR-PEER-ADDRESS missing or malformed", to: request, user: user)
        }
        if let refusal = self.peerRefusal(peers.map(\.address), for: record.allocation, request: request, user: user, portKnown: false) {
            return refusal
        }
        guard record.allocation.canInstallPermissions(for: peers.map(\.address.address)) else {
            return self.error(.insufficientCapacity, reason: "Too many permissions", to: request, user: user)
        }
        for peer in peers {
            record.allocation.installPermission(for: peer.address.address, until: now + self.configuration.permissionLifetime)
        }
        self.records[fiveTuple] = record
        return self.success(to: request, user: user, attributes: [])
    }

    /// ChannelBind, RFC 8656 Section 12.2: a valid number, a permitted peer of the right
    /// family, no conflicting binding, and fewer than ``Allocation/maximumChannels`` bindings
    /// for a new one (508 past it); installs or refreshes the permission too.
    mutating func handleChannelBind(
        _ request: STUNMessage,
        on fiveTuple: FiveTuple,
        user: AuthenticatedUser,
        now: ContinuousClock.Instant
    ) -> TURNAction {
        guard var record = self.records[fiveTuple] else { return self.error(.allocationMismatch, to: request, user: user) }
        guard let channel = try? request.attribute(ChannelNumber.self), let peer = try? request.attribute(XORPeerAddress.self) else {
            return self.error(.badRequest, reason: "CHANNEL-NUMBER or XOR-PEER-ADDRESS missing or malformed", to: request, user: user)
        }
        guard self.configuration.channelNumbers.contains(channel.number) else {
            return self.error(.badRequest, reason: "Channel number out of range", to: request, user: user)
        }
        if let refusal = self.peerRefusal([peer.address], for: record.allocation, request: request, user: user, portKnown: true) {
            return refusal
        }
        guard record.allocation.canInstallPermissions(for: [peer.address.address]) else {
            return self.error(.insufficientCapacity, reason: "Too many permissions", to: request, user: user)
        }
        let check = record.allocation.checkChannelBind(number: channel.number, peer: peer.address, at: now)
        guard check != .conflict else {
            return self.error(.badRequest, reason: "Channel or peer already bound", to: request, user: user)
        }
        guard check == .refresh || record.allocation.channelCount < Allocation.maximumChannels else {
            return self.error(.insufficientCapacity, reason: "Too many channels", to: request, user: user)
        }
        record.allocation.bindChannel(number: channel.number, peer: peer.address, until: now + self.configuration.channelLifetime)
        record.allocation.installPermission(for: peer.address.address, until: now + self.configuration.permissionLifetime)
        self.records[fiveTuple] = record
        return self.success(to: request, user: user, attributes: [])
    }

    /// The error for the first peer of the wrong family (443) or denied by policy (403).
    ///
    /// - Parameter portKnown: whether the peer's port matters (ChannelBind: the binding names
    ///   the transport address); CreatePermission ignores it (RFC 8656 Section 10.2).
    private func peerRefusal(
        _ peers: [STUNTransportAddress],
        for allocation: Allocation,
        request: STUNMessage,
        user: AuthenticatedUser,
        portKnown: Bool
    ) -> TURNAction? {
        let policy = self.configuration.peerPolicy
        for peer in peers {
            if !allocation.relays(peer.address.family) {
                return self.error(.peerAddressFamilyMismatch, to: request, user: user)
            }
            let permitted = portKnown ? policy.permits(peer: peer) : policy.permitsPermission(for: peer.address)
            if !permitted {
                return self.error(.forbidden, reason: "Peer address not allowed", to: request, user: user, refusal: .peerPolicy)
            }
        }
        return nil
    }
}
