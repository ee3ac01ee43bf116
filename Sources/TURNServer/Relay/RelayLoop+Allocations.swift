import DatagramEngine
import Logging
import NIOCore
import STUNWire
import TURNCore

/// Allocations of UDP relays: admitted (by the cluster when there is one), bound, answered,
/// closed (RFC 8656 Sections 7 and 8). Each allocation's ``RelayEndpoint`` lives in the
/// processor's record of it, the node's one allocation table.
extension RelayLoop {
    /// The endpoint of `fiveTuple`'s allocation, if it has one.
    func endpoint(of fiveTuple: FiveTuple) -> RelayEndpoint? {
        RelayEndpoint.of(self.processor.endpoint(of: fiveTuple))
    }

    /// Asks the cluster first (a cluster-wide `user-quota`), when there is one.
    func openRelay(_ request: RelayRequest, link: ClientLink) {
        guard let observer = self.observer, let user = self.processor.pendingUser(request) else {
            self.openAdmittedRelay(request, link: link, observed: nil)
            return
        }
        let observed = ObservedAllocation(id: Self.nextAllocationID(), username: user.username, grant: user.grant)
        let promise = self.eventLoop.makePromise(of: Bool.self)
        promise.completeWithTask { await observer.admit(observed) }
        promise.futureResult.assumeIsolated().whenSuccess { admitted in
            guard admitted else {
                observer.allocationEnded(observed, traffic: AllocationTraffic())
                self.perform(self.processor.refuseAllocationOverClusterQuota(request), link: link)
                self.flush()
                return
            }
            self.openAdmittedRelay(request, link: link, observed: observed)
        }
    }

    private func openAdmittedRelay(_ request: RelayRequest, link: ClientLink, observed: ObservedAllocation?) {
        let endpoint = RelayEndpoint(fiveTuple: request.fiveTuple, link: link, bandwidth: request.bandwidth, now: .now)
        endpoint.observed = observed
        if request.transport == .tcp {
            self.openTCPRelay(request, endpoint: endpoint)
        } else if let engine = self.engine {
            self.openEngineRelay(request, endpoint: endpoint, engine: engine)
        } else {
            self.openChannelRelay(request, endpoint: endpoint)
        }
    }

    /// Opens the relay sockets of a UDP client's allocation on this loop's engine and answers
    /// the Allocate; the answer goes out when the engine's turn ends.
    private func openEngineRelay(_ request: RelayRequest, endpoint: RelayEndpoint, engine: DatagramEngine) {
        let receiver = EnginePeerReceiver(loop: self, endpoint: endpoint)
        let relay: EngineRelaySockets
        let port: UInt16
        do {
            relay = try EngineRelayBinder.bind(request, pool: self.pool, engine: engine, receiver: receiver, loop: self.eventLoop)
            guard let first = relay.port else { throw RelaySocketBinder.Failure() }
            port = first
        } catch {
            self.failRelay(request, endpoint: endpoint, error: "no free relay port")
            return
        }
        endpoint.engineRelay = relay
        endpoint.relaySender = relay.sockets.first?.sender
        endpoint.additionalRelaySender = relay.sockets.count > 1 ? relay.sockets[1].sender : nil
        self.completeRelay(request, endpoint: endpoint, port: port, additionalPort: relay.additionalPort, reservationToken: relay.reservationToken)
    }

    /// Opens the relay sockets of a TCP or TLS client's UDP allocation as NIO datagram
    /// channels, then answers the Allocate.
    private func openChannelRelay(_ request: RelayRequest, endpoint: RelayEndpoint) {
        RelaySocketBinder.bind(request, pool: self.pool, on: self.eventLoop).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let bound):
                endpoint.relayChannel = bound.channel
                endpoint.additionalRelayChannel = bound.additional?.channel
                endpoint.relaySender = DatagramSenderHandler.sender(of: bound.channel)
                endpoint.additionalRelaySender = bound.additional.flatMap { DatagramSenderHandler.sender(of: $0.channel) }
                do {
                    try bound.channel.pipeline.syncOperations.addHandler(RelayPeerHandler(loop: self, endpoint: endpoint), position: .first)
                    try bound.additional?.channel.pipeline.syncOperations.addHandler(
                        RelayPeerHandler(loop: self, endpoint: endpoint), position: .first)
                } catch {
                    endpoint.closeRelaySockets()
                    self.failRelay(request, endpoint: endpoint, error: "\(error)")
                    break
                }
                self.completeRelay(
                    request, endpoint: endpoint, port: bound.port, additionalPort: bound.additional?.port,
                    reservationToken: bound.reservationToken)
            case .failure(let error):
                self.failRelay(request, endpoint: endpoint, error: "\(error)")
            }
            self.flush()
        }
    }

    /// The relay sockets are bound: the processor stores `endpoint` with the new allocation
    /// and answers the Allocate, or, when the Allocate was abandoned meanwhile (the client's
    /// connection closed), hands `endpoint` back to be closed.
    func completeRelay(_ request: RelayRequest, endpoint: RelayEndpoint, port: UInt16, additionalPort: UInt16?, reservationToken: [UInt8]?) {
        let actions = self.processor.completeAllocation(
            request, relayPort: port, additionalPort: additionalPort, reservationToken: reservationToken, endpoint: endpoint, now: .now)
        self.perform(actions, link: endpoint.link)
        guard self.endpoint(of: request.fiveTuple) === endpoint, let allocation = self.processor.allocation(for: request.fiveTuple) else { return }
        self.metrics.allocationOpened(clientTransport: request.fiveTuple.transport == .udp ? "UDP" : "TCP")
        endpoint.username = allocation.username
        endpoint.user = allocation.quotaUser
        endpoint.relayed = "\(request.address):\(port)"
        if let observed = endpoint.observed {
            let lifetime = Int((allocation.expiresAt - ContinuousClock.now + .milliseconds(500)).components.seconds)
            self.observer?.allocationCreated(observed, lifetimeSeconds: lifetime)
        }
        self.logger.info("allocation created", metadata: [
            "turn.event": "allocation_created", "turn.client": "\(request.fiveTuple.client)",
            "turn.transport": "\(request.fiveTuple.transport)", "turn.relay.transport": "\(request.transport == .tcp ? "tcp" : "udp")",
            "turn.relayed": "\(endpoint.relayed ?? "")", "turn.user": "\(allocation.quotaUser)", "turn.username": "\(allocation.username)",
        ])
    }

    /// No relay socket could be bound: the client gets 508 and the cluster its slot back.
    func failRelay(_ request: RelayRequest, endpoint: RelayEndpoint, error: String) {
        self.endObserved(endpoint)
        self.logger.warning("cannot open relay socket", metadata: ["turn.client": "\(request.fiveTuple.client)", "turn.error": "\(error)"])
        self.perform(self.processor.failAllocation(request), link: endpoint.link)
    }

    /// Tells the cluster an allocation (or an admitted attempt) is gone, once.
    func endObserved(_ endpoint: RelayEndpoint) {
        guard let observed = endpoint.observed else { return }
        endpoint.observed = nil
        self.observer?.allocationEnded(observed, traffic: endpoint.traffic)
    }

    /// Closes the relay sockets of an allocation the processor deleted (or never stored) and,
    /// for one that was answered, counts and logs its end.
    func closeRelay(_ fiveTuple: FiveTuple, endpoint: RelayEndpoint?) {
        guard let endpoint else { return }
        self.endObserved(endpoint)
        endpoint.tcp?.closeAll(shared: self.tcpShared)
        endpoint.closeRelaySockets()
        guard let relayed = endpoint.relayed else { return }
        let lifetime = ContinuousClock.now - endpoint.openedAt
        self.metrics.allocationClosed(after: lifetime, clientTransport: fiveTuple.transport == .udp ? "UDP" : "TCP")
        self.logger.info("allocation ended", metadata: [
            "turn.event": "allocation_ended", "turn.client": "\(fiveTuple.client)", "turn.transport": "\(fiveTuple.transport)",
            "turn.relayed": "\(relayed)", "turn.user": "\(endpoint.user ?? "")",
            "turn.username": "\(endpoint.username ?? "")", "turn.duration.seconds": "\(lifetime.components.seconds)",
            "turn.traffic.to_peers.packets": "\(endpoint.packetsToPeers)", "turn.traffic.to_peers.bytes": "\(endpoint.bytesToPeers)",
            "turn.traffic.to_client.packets": "\(endpoint.packetsToClient)", "turn.traffic.to_client.bytes": "\(endpoint.bytesToClient)",
        ])
    }

    /// The client's TCP connection closed: its allocation goes with it (RFC 8656 Section 3.1);
    /// an Allocate still binding is abandoned, and its sockets closed once bound.
    func connectionClosed(_ fiveTuple: FiveTuple) {
        self.closeRelays(self.processor.remove(fiveTuple))
    }
}
