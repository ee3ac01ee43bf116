import DatagramEngine
import Foundation
import Logging
import NIOCore
import Synchronization
import STUNWire
import TURNAuth
import TURNCore
import TURNMetrics

/// Everything the relay does on one thread: the processor with this thread's allocations,
/// their relay sockets, and the data path in both directions.
///
/// A relay loop runs either on a ``DatagramEngine`` (UDP clients: the engine's listener
/// sockets and the relay sockets it opens for them) or on a NIO event loop (TCP and TLS
/// clients, whose UDP relay sockets NIO reads). Confined to its thread: the listeners,
/// connections and relay sockets of this thread call it directly, so relaying takes no lock
/// and no thread hop. Per packet it does dictionary lookups and copies the datagram (with its
/// ChannelData header or Data indication, towards a UDP client) into the thread's
/// ``DatagramOutbox``, sent at the end of the batch; UDP relaying allocates nothing per
/// packet, and no send error closes a socket.
final class RelayLoop {
    let eventLoop: any EventLoop
    /// The UDP engine this loop runs on; nil on a NIO event loop.
    let engine: DatagramEngine?
    var processor: TURNRequestProcessor
    let pool: RelayPortPool
    let metrics: RelayMetrics
    let logger: Logger
    /// What every loop shares about TCP allocations (RFC 6062).
    let tcpShared: TCPRelayShared
    var endpoints: [FiveTuple: RelayEndpoint] = [:]
    private var channelsToFlush: [any Channel] = []
    /// Every UDP datagram this loop sends, gathered until the batch ends (the engine's own).
    let outbox: DatagramOutbox
    var indicationCounter: UInt64
    private var expiryTask: Scheduled<Void>?
    var serverToPeers: TokenBucket?
    var serverToClients: TokenBucket?
    /// The cluster's view of allocations (Redis), when one is configured.
    private let observer: (any AllocationObserver)?
    /// Allocation ids for the cluster, unique in the process; they start at a random point so
    /// that the nodes of a cluster do not reuse each other's ids.
    private static let allocationIDs = Atomic<UInt64>(UInt64.random(in: 0..<100_000_000_000_000_000))
    private var expiryTicks = 0
    /// When the oldest packet relayed since the last flush arrived.
    var batchStart: ContinuousClock.Instant?
    /// Relayed traffic not yet added to the metrics: plain counters on the data path, added to
    /// the shared (atomic) metrics once a second, so the counters stay live at no per-packet cost.
    var traffic = LoopTraffic()

    /// Creates the relay of one event loop.
    ///
    /// - Parameter loopCount: how many loops share `bps-capacity`; each enforces its share.
    init(
        eventLoop: any EventLoop,
        engine: DatagramEngine? = nil,
        processor: TURNRequestProcessor,
        pool: RelayPortPool,
        metrics: RelayMetrics,
        logger: Logger,
        loopCount: Int = 1,
        tcpShared: TCPRelayShared = TCPRelayShared(),
        observer: (any AllocationObserver)? = nil
    ) {
        self.observer = observer
        self.eventLoop = eventLoop
        self.engine = engine
        self.outbox = engine?.outbox ?? DatagramOutbox()
        self.tcpShared = tcpShared
        self.processor = processor
        let share = processor.configuration.serverBandwidth.map { max(1, $0 / max(1, loopCount)) }
        self.serverToPeers = share.map { TokenBucket(bytesPerSecond: $0, now: .now) }
        self.serverToClients = share.map { TokenBucket(bytesPerSecond: $0, now: .now) }
        self.pool = pool
        self.metrics = metrics
        self.logger = logger
        self.indicationCounter = UInt64.random(in: .min ... .max)
        self.channelsToFlush.reserveCapacity(64)
    }

    // MARK: Control path

    /// A STUN message from a client. Send indications take the allocation-free path.
    func receiveControl(_ message: UnsafeRawBufferPointer, on fiveTuple: FiveTuple, link: ClientLink) {
        let bytes = message.assumingMemoryBound(to: UInt8.self)
        if SendIndicationView.isSendIndication(bytes.span) {
            self.receiveSendIndication(message, on: fiveTuple)
            return
        }
        let actions = self.processor.handle(bytes.span, on: fiveTuple, now: .now, date: Date())
        self.perform(actions, link: link, message: message)
    }

    /// Executes the processor's actions; `message` is the message they answer, whose bytes a
    /// ``TURNAction/sendToPeer(_:peer:data:)`` range points into.
    func perform(_ actions: [TURNAction], link: ClientLink, message: UnsafeRawBufferPointer? = nil) {
        for action in actions {
            switch action {
            case .respond(let bytes, let summary):
                self.metrics.response(method: summary.method.rawValue, errorCode: summary.errorCode?.rawValue)
                if let refusal = summary.refusal {
                    self.recordRefusal(refusal, summary: summary, link: link)
                } else if let code = summary.errorCode {
                    self.logger.debug("request refused", metadata: [
                        "turn.client": "\(link.clientDescription)", "turn.method": "\(summary.method)", "turn.error.code": "\(code)",
                    ])
                }
                self.send(bytes, to: link)
            case .openRelay(let request):
                self.openRelay(request, link: link)
            case .closeRelay(let fiveTuple):
                self.closeRelay(fiveTuple)
            case .sendToPeer(let fiveTuple, let peer, let data):
                guard let message else { continue }
                self.forward(message, range: data, to: peer, on: fiveTuple, now: .now)
            case .connectPeer(let request):
                self.connectPeer(request, link: link)
            case .bindConnection(let request):
                self.bindConnection(request, link: link)
            case .ignore(let reason):
                self.metrics.ignored(reason: reason.rawValue)
            }
        }
    }

    /// Sends a whole message to the client (a response or an indication), at the end of the
    /// read batch.
    func send(_ message: [UInt8], to link: ClientLink) {
        switch link {
        case .datagram(let listener, let client):
            self.outbox.enqueue(from: listener, to: client, length: message.count) { out in
                message.withUnsafeBytes { out.copyMemory(from: $0) }
            }
        case .stream(let connection):
            connection.write(connection.allocator.buffer(bytes: message), promise: nil)
            self.scheduleFlush(connection)
        }
    }

    /// Counts a refusal and logs it as a security event, except the ordinary first 401
    /// challenge of every client.
    ///
    /// Every refusal is counted; the log has at most one line a second per reason across the
    /// loops (``refusalSampler``), with `turn.suppressed` the number left out since the last.
    private func recordRefusal(_ refusal: TURNRefusal, summary: ResponseSummary, link: ClientLink) {
        if case .authentication(let reason) = refusal {
            self.metrics.refused(reason.rawValue, authentication: true)
            if reason == .missingIntegrity { return }
        } else {
            self.metrics.refused(refusal.label, authentication: false)
        }
        guard let suppressed = Self.refusalSampler.admit(refusal.label, now: .now) else { return }
        var metadata: Logger.Metadata = [
            "turn.event": "request_refused", "turn.reason": "\(refusal.label)", "turn.client": "\(link.clientDescription)",
            "turn.method": "\(summary.method)", "turn.error.code": "\(summary.errorCode?.rawValue ?? 0)",
        ]
        if suppressed > 0 { metadata["turn.suppressed"] = "\(suppressed)" }
        self.logger.notice("request refused", metadata: metadata)
    }

    /// Asks the cluster first (a cluster-wide `user-quota`), when there is one.
    private func openRelay(_ request: RelayRequest, link: ClientLink) {
        guard let observer = self.observer, let user = self.processor.pendingUser(request) else {
            self.openAdmittedRelay(request, link: link, observed: nil)
            return
        }
        let id = Self.allocationIDs.wrappingAdd(1, ordering: .relaxed).newValue
        let observed = ObservedAllocation(id: id, username: user.username, grant: user.grant)
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
        if request.transport == .tcp {
            self.openTCPRelay(request, link: link)
            if let observed {
                if let endpoint = self.endpoints[request.fiveTuple] {
                    endpoint.observed = observed
                } else {
                    self.observer?.allocationEnded(observed, traffic: AllocationTraffic())
                }
            }
            return
        }
        let endpoint = RelayEndpoint(
            fiveTuple: request.fiveTuple,
            link: link,
            bandwidth: request.bandwidth,
            now: .now
        )
        endpoint.observed = observed
        self.endpoints[request.fiveTuple] = endpoint
        if let engine = self.engine {
            self.openEngineRelay(request, endpoint: endpoint, engine: engine)
            return
        }
        RelaySocketBinder.bind(request, pool: self.pool, on: self.eventLoop).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let bound):
                endpoint.relayChannel = bound.channel
                endpoint.additionalRelayChannel = bound.additional?.channel
                endpoint.relaySender = DatagramSenderHandler.sender(of: bound.channel)
                endpoint.additionalRelaySender = bound.additional.flatMap { DatagramSenderHandler.sender(of: $0.channel) }
                guard self.endpoints[request.fiveTuple] === endpoint else {
                    endpoint.closeRelaySockets()
                    return
                }
                do {
                    try bound.channel.pipeline.syncOperations.addHandler(RelayPeerHandler(loop: self, fiveTuple: request.fiveTuple), position: .first)
                    try bound.additional?.channel.pipeline.syncOperations.addHandler(
                        RelayPeerHandler(loop: self, fiveTuple: request.fiveTuple), position: .first)
                } catch {
                    endpoint.closeRelaySockets()
                    self.endpoints[request.fiveTuple] = nil
                    self.endObserved(endpoint)
                    self.perform(self.processor.failAllocation(request), link: link)
                    self.flush()
                    return
                }
                self.perform(
                    self.processor.completeAllocation(
                        request, relayPort: bound.port, additionalPort: bound.additional?.port,
                        reservationToken: bound.reservationToken, now: .now),
                    link: link
                )
                self.recordAllocationOpened(endpoint, request: request, port: bound.port)
            case .failure(let error):
                if self.endpoints[request.fiveTuple] === endpoint {
                    self.endpoints[request.fiveTuple] = nil
                }
                self.endObserved(endpoint)
                self.logger.warning("cannot open relay socket", metadata: ["turn.client": "\(request.fiveTuple.client)", "turn.error": "\(error)"])
                self.perform(self.processor.failAllocation(request), link: link)
            }
            self.flush()
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
            self.endpoints[request.fiveTuple] = nil
            self.endObserved(endpoint)
            self.logger.warning("cannot open relay socket", metadata: ["turn.client": "\(request.fiveTuple.client)", "turn.error": "no free relay port"])
            self.perform(self.processor.failAllocation(request), link: endpoint.link)
            return
        }
        endpoint.engineRelay = relay
        endpoint.relaySender = relay.sockets.first?.sender
        endpoint.additionalRelaySender = relay.sockets.count > 1 ? relay.sockets[1].sender : nil
        self.perform(
            self.processor.completeAllocation(
                request, relayPort: port, additionalPort: relay.additionalPort, reservationToken: relay.reservationToken, now: .now),
            link: endpoint.link
        )
        self.recordAllocationOpened(endpoint, request: request, port: port)
    }

    /// Once an allocation's relay is bound and answered: metrics, the cluster, the log line.
    func recordAllocationOpened(_ endpoint: RelayEndpoint, request: RelayRequest, port: UInt16) {
        self.metrics.allocationOpened(clientTransport: request.fiveTuple.transport == .udp ? "UDP" : "TCP")
        guard let allocation = self.processor.allocation(for: request.fiveTuple) else { return }
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

    /// Tells the cluster an allocation (or an admitted attempt) is gone, once.
    func endObserved(_ endpoint: RelayEndpoint) {
        guard let observed = endpoint.observed else { return }
        endpoint.observed = nil
        self.observer?.allocationEnded(observed, traffic: endpoint.traffic)
    }

    private func closeRelay(_ fiveTuple: FiveTuple) {
        guard let endpoint = self.endpoints.removeValue(forKey: fiveTuple) else { return }
        self.endObserved(endpoint)
        endpoint.tcp?.closeAll(shared: self.tcpShared)
        guard endpoint.isBound else { return }
        endpoint.closeRelaySockets()
        let lifetime = ContinuousClock.now - endpoint.openedAt
        self.metrics.allocationClosed(after: lifetime, clientTransport: fiveTuple.transport == .udp ? "UDP" : "TCP")
        self.logger.info("allocation ended", metadata: [
            "turn.event": "allocation_ended", "turn.client": "\(fiveTuple.client)", "turn.transport": "\(fiveTuple.transport)",
            "turn.relayed": "\(endpoint.relayed ?? "")", "turn.user": "\(endpoint.user ?? "")",
            "turn.username": "\(endpoint.username ?? "")", "turn.duration.seconds": "\(lifetime.components.seconds)",
            "turn.traffic.to_peers.packets": "\(endpoint.packetsToPeers)", "turn.traffic.to_peers.bytes": "\(endpoint.bytesToPeers)",
            "turn.traffic.to_client.packets": "\(endpoint.packetsToClient)", "turn.traffic.to_client.bytes": "\(endpoint.bytesToClient)",
        ])
    }

    /// The client's TCP connection closed: its allocation goes with it (RFC 8656 Section 3.1).
    func connectionClosed(_ fiveTuple: FiveTuple) {
        if let endpoint = self.endpoints[fiveTuple] { self.endObserved(endpoint) }
        for action in self.processor.remove(fiveTuple) {
            if case .closeRelay(let closed) = action { self.closeRelay(closed) }
        }
        self.endpoints[fiveTuple] = nil
    }

    // MARK: Flushing, expiry, shutdown

    /// Remembers `channel` to be flushed when the current read batch ends.
    func scheduleFlush(_ channel: any Channel) {
        if self.channelsToFlush.contains(where: { $0 === channel }) { return }
        self.channelsToFlush.append(channel)
    }

    /// Sends the outbox's datagrams, then flushes every connection written to since the last
    /// flush. Records how long the oldest relayed packet of the batch waited in TurnGate (one
    /// value per batch). On an engine, the engine sends the outbox itself when its turn ends
    /// (with io_uring, a send in the middle of a turn would hold the outbox until the next).
    func flush() {
        if self.engine == nil { self.outbox.flush() }
        for channel in self.channelsToFlush {
            channel.flush()
        }
        self.channelsToFlush.removeAll(keepingCapacity: true)
        if let start = self.batchStart {
            self.metrics.relayLatency(ContinuousClock.now - start)
            self.batchStart = nil
        }
    }

    /// Starts the once-a-second sweep of expired allocations, permissions and channels, and of
    /// allocations whose credentials were revoked.
    func startExpiryTimer() {
        self.expiryTask = self.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) {
            self.traffic.flush(into: self.metrics)
            self.outbox.errors.flush(into: self.metrics)
            if let engine = self.engine { self.metrics.engineDrops(engine.takeCounters()) }
            self.closeRelays(self.processor.expire(now: .now))
            self.closeRelays(self.processor.endRevoked(date: Date()))
            self.reportTraffic()
            self.startExpiryTimer()
        }
    }

    /// Applies a reloaded configuration: later requests are decided with `configuration` and
    /// `authenticator`; live allocations keep their relay sockets and bandwidth buckets.
    func reconfigure(_ configuration: RelayConfiguration, authenticator: LongTermAuthenticator, loopCount: Int) {
        if configuration.serverBandwidth != self.processor.configuration.serverBandwidth {
            let share = configuration.serverBandwidth.map { max(1, $0 / max(1, loopCount)) }
            self.serverToPeers = share.map { TokenBucket(bytesPerSecond: $0, now: .now) }
            self.serverToClients = share.map { TokenBucket(bytesPerSecond: $0, now: .now) }
        }
        self.processor.configuration = configuration
        self.processor.authenticator = authenticator
    }

    /// How often interim traffic totals go to the cluster, in expiry ticks (seconds).
    static let trafficReportInterval = 10

    /// Every ``trafficReportInterval`` ticks, each live allocation's traffic since its last
    /// report to the cluster (coturn's statsdb reports intervals, not running totals).
    private func reportTraffic() {
        guard let observer = self.observer else { return }
        self.expiryTicks &+= 1
        guard self.expiryTicks % Self.trafficReportInterval == 0 else { return }
        for endpoint in self.endpoints.values where endpoint.isBound {
            if let observed = endpoint.observed, let interval = endpoint.trafficSinceLastReport() {
                observer.trafficUpdated(observed, traffic: interval)
            }
        }
    }

    /// Authenticates later requests with `authenticator`.
    func replaceAuthenticator(_ authenticator: LongTermAuthenticator) {
        self.processor.authenticator = authenticator
    }

    /// Deletes every allocation whose credential `matches`; returns how many.
    func end(where matches: (String, CredentialGrant) -> Bool) -> Int {
        let actions = self.processor.end(where: matches)
        self.closeRelays(actions)
        return actions.count
    }

    private func closeRelays(_ actions: [TURNAction]) {
        for action in actions {
            if case .closeRelay(let fiveTuple) = action { self.closeRelay(fiveTuple) }
        }
    }

    /// Deletes every allocation and stops the timer.
    func shutdown() {
        self.expiryTask?.cancel()
        self.expiryTask = nil
        self.closeRelays(self.processor.removeAll())
        self.traffic.flush(into: self.metrics)
        self.outbox.errors.flush(into: self.metrics)
    }
}
