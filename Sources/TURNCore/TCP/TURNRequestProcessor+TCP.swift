public import STUNWire
import TURNAuth

/// TCP allocations, RFC 6062: Connect, ConnectionBind, peers connecting to the relayed address.
extension TURNRequestProcessor {
    /// The checks RFC 6062 Section 5.1 adds to Allocate when REQUESTED-TRANSPORT is TCP, in
    /// order: 442 when TCP relaying is off, 400 over UDP, 400 with EVEN-PORT, RESERVATION-TOKEN
    /// or DONT-FRAGMENT (meaningless for TCP), and 400 with ADDITIONAL-ADDRESS-FAMILY (one
    /// listening socket per TCP allocation).
    ///
    /// - Returns: the error to answer with, or nil to go on.
    func tcpAllocateRefusal(_ request: STUNMessage, on fiveTuple: FiveTuple, user: AuthenticatedUser) -> TURNAction? {
        guard self.configuration.tcpRelayEnabled else {
            return self.error(.unsupportedTransportProtocol, to: request, user: user)
        }
        guard fiveTuple.transport == .tcp else {
            return self.error(.badRequest, reason: "TCP allocations need a TCP or TLS connection", to: request, user: user)
        }
        if request.attribute(.evenPort) != nil || request.attribute(.reservationToken) != nil || request.attribute(.dontFragment) != nil {
            return self.error(.badRequest, reason: "EVEN-PORT, RESERVATION-TOKEN or DONT-FRAGMENT with TCP", to: request, user: user)
        }
        if request.attribute(.additionalAddressFamily) != nil {
            return self.error(.badRequest, reason: "ADDITIONAL-ADDRESS-FAMILY with TCP", to: request, user: user)
        }
        return nil
    }

    /// Connect, RFC 6062 Section 5.2, checks in the RFC's order: 400 when the allocation is
    /// not a TCP one, 400 without a valid XOR-PEER-ADDRESS, 443 for a peer of another family,
    /// 403 when the peer policy denies it, 446 when a connection to that peer exists or is
    /// being made; then 508 past ``TCPAllocationState/maximumConnections``. Installs (or
    /// refreshes) the permission for the peer's IP address and asks the transport to connect.
    mutating func handleConnect(
        _ request: STUNMessage,
        on fiveTuple: FiveTuple,
        user: AuthenticatedUser,
        now: ContinuousClock.Instant
    ) -> TURNAction {
        guard var record = self.records[fiveTuple] else { return self.error(.allocationMismatch, to: request, user: user) }
        guard var tcp = record.tcp else {
            return self.error(.badRequest, reason: "Not a TCP allocation", to: request, user: user)
        }
        guard let peer = try? request.attribute(XORPeerAddress.self)?.address, peer.port != 0 else {
            return self.error(.badRequest, reason: "XOR-PEER-ADDRESS missing or malformed", to: request, user: user)
        }
        guard record.allocation.relays(peer.address.family) else {
            return self.error(.peerAddressFamilyMismatch, to: request, user: user)
        }
        guard self.configuration.peerPolicy.permits(peer: peer) else {
            return self.error(.forbidden, to: request, user: user, refusal: .peerPolicy)
        }
        guard !tcp.isConnected(to: peer) else {
            return self.error(.connectionAlreadyExists, to: request, user: user)
        }
        guard tcp.connections.count < TCPAllocationState.maximumConnections,
            record.allocation.canInstallPermissions(for: [peer.address])
        else {
            return self.error(.insufficientCapacity, reason: "Too many TCP connections", to: request, user: user)
        }
        let id = self.tcpConnections.reserve(owner: fiveTuple, username: user.username, peer: peer)
        tcp.connections[id] = TCPAllocationState.PeerConnection(peer: peer, connect: (request, user))
        record.tcp = tcp
        record.allocation.installPermission(for: peer.address, until: now + self.configuration.permissionLifetime)
        self.records[fiveTuple] = record
        return .connectPeer(TCPConnectRequest(
            fiveTuple: fiveTuple,
            connectionID: id,
            peer: peer,
            relayedAddress: record.allocation.relayedAddress,
            timeout: TCPAllocationState.connectTimeout
        ))
    }

    /// The transport connected to the peer: the Connect succeeds with CONNECTION-ID, and the
    /// connection waits ``TCPAllocationState/bindTimeout`` for its ConnectionBind.
    ///
    /// - Returns: the success response, or nothing when the allocation is gone (the transport
    ///   then closes the connection).
    public mutating func completeConnect(_ connect: TCPConnectRequest, now: ContinuousClock.Instant) -> [TURNAction] {
        guard var record = self.records[connect.fiveTuple], var tcp = record.tcp,
            let pending = tcp.connections[connect.connectionID]?.connect
        else {
            self.tcpConnections.remove(connect.connectionID)
            return []
        }
        tcp.connections[connect.connectionID]?.connect = nil
        record.tcp = tcp
        self.records[connect.fiveTuple] = record
        self.tcpConnections.open(connect.connectionID, until: now + TCPAllocationState.bindTimeout)
        let attribute = STUNAttribute(ConnectionID(connect.connectionID), transactionID: pending.request.transactionID)
        return [self.success(to: pending.request, user: pending.user, attributes: [attribute])]
    }

    /// The transport could not connect to the peer (refused, unreachable, timed out): 447.
    public mutating func failConnect(_ connect: TCPConnectRequest) -> [TURNAction] {
        self.tcpConnections.remove(connect.connectionID)
        guard var record = self.records[connect.fiveTuple], var tcp = record.tcp,
            let pending = tcp.connections.removeValue(forKey: connect.connectionID)?.connect
        else { return [] }
        record.tcp = tcp
        self.records[connect.fiveTuple] = record
        return [self.error(.connectionTimeoutOrFailure, to: pending.request, user: pending.user)]
    }

    /// A peer connected to the relayed address of `fiveTuple`'s TCP allocation (RFC 6062
    /// Section 5.3): accepted only when the allocation is live, the peer policy allows the
    /// peer, a permission exists for its IP address and the allocation holds fewer than
    /// ``TCPAllocationState/maximumConnections``. Then the client hears a ConnectionAttempt
    /// indication, and the connection waits ``TCPAllocationState/bindTimeout`` for its
    /// ConnectionBind.
    ///
    /// - Parameter transactionID: the indication's transaction ID (random, from the transport).
    public mutating func acceptPeerConnection(
        on fiveTuple: FiveTuple,
        from peer: STUNTransportAddress,
        transactionID: STUNTransactionID,
        now: ContinuousClock.Instant
    ) -> TCPPeerAcceptance {
        guard var record = self.records[fiveTuple], var tcp = record.tcp, !record.allocation.isExpired(at: now),
            record.allocation.relays(peer.address.family),
            self.configuration.peerPolicy.permits(peer.address),
            record.allocation.hasPermission(for: peer.address, at: now),
            tcp.connections.count < TCPAllocationState.maximumConnections
        else { return .reject }
        let id = self.tcpConnections.reserve(owner: fiveTuple, username: record.user.username, peer: peer)
        self.tcpConnections.open(id, until: now + TCPAllocationState.bindTimeout)
        tcp.connections[id] = TCPAllocationState.PeerConnection(peer: peer, connect: nil)
        record.tcp = tcp
        self.records[fiveTuple] = record
        var indication = STUNMessage(
            type: STUNMessageType(method: .connectionAttempt, messageClass: .indication),
            transactionID: transactionID
        )
        indication.append(XORPeerAddress(peer))
        indication.append(ConnectionID(id))
        if let softwareName = self.configuration.softwareName {
            indication.append(Software(softwareName))
        }
        return .accept(connectionID: id, indication: indication.serialize(integrity: nil, fingerprint: self.configuration.alwaysFingerprint))
    }

    /// ConnectionBind, RFC 6062 Section 5.3, on a new connection of the client: 400 over UDP
    /// or on a connection that holds an allocation, 400 without a valid CONNECTION-ID, 441
    /// when the connection belongs to another user's allocation, 400 when it is unknown,
    /// bound already, or its 30 s have passed (it is forgotten then; its owner's timer closes
    /// it).
    mutating func handleConnectionBind(
        _ request: STUNMessage,
        on fiveTuple: FiveTuple,
        user: AuthenticatedUser,
        now: ContinuousClock.Instant
    ) -> [TURNAction] {
        guard fiveTuple.transport == .tcp, self.records[fiveTuple] == nil else {
            return [self.error(.badRequest, reason: "ConnectionBind needs a new TCP or TLS connection", to: request, user: user)]
        }
        guard let id = try? request.attribute(ConnectionID.self)?.rawValue else {
            return [self.error(.badRequest, reason: "CONNECTION-ID missing or malformed", to: request, user: user)]
        }
        switch self.tcpConnections.bind(id, username: user.username, now: now) {
        case .bound(let entry):
            return [
                self.success(to: request, user: user, attributes: []),
                .bindConnection(TCPConnectionBindRequest(connectionID: id, dataFiveTuple: fiveTuple, owner: entry.owner)),
            ]
        case .wrongUser:
            return [self.error(.wrongCredentials, to: request, user: user)]
        case .unknown, .alreadyBound:
            return [self.error(.badRequest, reason: "Unknown CONNECTION-ID", to: request, user: user)]
        case .expired:
            return [self.error(.badRequest, reason: "CONNECTION-ID expired", to: request, user: user)]
        }
    }

    /// The ConnectionBind timer of connection `id` fired (``TCPAllocationState/bindTimeout``
    /// after Connect succeeded or the peer connected).
    ///
    /// - Returns: whether the transport must close the peer connection: it was not bound in time.
    public mutating func expireTCPConnection(_ id: UInt32, on fiveTuple: FiveTuple, now: ContinuousClock.Instant) -> Bool {
        guard self.tcpConnections.expireUnbound(id, now: now) else { return false }
        self.records[fiveTuple]?.tcp?.connections[id] = nil
        return true
    }

    /// A peer connection (or its client data connection) closed: the id is forgotten, and a
    /// new Connect to the same peer may follow.
    public mutating func tcpConnectionClosed(_ id: UInt32, on fiveTuple: FiveTuple) {
        self.tcpConnections.remove(id)
        self.records[fiveTuple]?.tcp?.connections[id] = nil
    }

    /// The CONNECTION-IDs of `fiveTuple`'s TCP allocation.
    public func tcpConnectionIDs(on fiveTuple: FiveTuple) -> [UInt32] {
        self.records[fiveTuple]?.tcp.map { Array($0.connections.keys) } ?? []
    }

    /// Forgets the connection ids of a deleted allocation.
    func forgetTCPConnections(of record: AllocationRecord) {
        guard let tcp = record.tcp else { return }
        self.tcpConnections.remove(tcp.connections.keys)
    }
}
