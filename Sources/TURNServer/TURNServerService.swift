package import DatagramEngine
public import Logging
public import NIOCore
import NIOPosix
import NIOSSL
public import ServiceLifecycle
public import TURNAuth
public import TURNCore
public import TURNMetrics
import Foundation
import STUNWire
import Synchronization

/// The STUN/TURN relay as one ``Service``: binds every configured address on UDP and TCP,
/// relays until graceful shutdown, then closes the listeners and deletes every allocation.
///
/// UDP is served by TurnGate's own engines (``DatagramEngine``), one thread each (one per core
/// by default): one listener socket per engine on each address, sharing the port with
/// `SO_REUSEPORT`, so the kernel spreads clients over the engines and each client's traffic,
/// with the relay sockets of its allocations, stays on one thread. Before the engines bind, the
/// port is probed without `SO_REUSEPORT`, so a port that another server (even one using
/// `SO_REUSEPORT`, as coturn does) holds is reported as taken instead of silently shared. TCP
/// and TLS are served by NIO's event loops.
public final class TURNServerService: Service {
    /// What to listen on and how to answer.
    public struct Configuration: Sendable {
        /// The IP literals to listen on; empty means every IPv4 and IPv6 address.
        public var listeningIPs: [String]
        /// The port for UDP and TCP.
        public var port: Int
        /// Whether to listen on UDP.
        public var udpEnabled: Bool
        /// Whether to listen on TCP.
        public var tcpEnabled: Bool
        /// Lifetimes, quotas, relay addresses, peer policy and what responses carry.
        public var relay: RelayConfiguration
        /// The long-term credential check.
        public var authenticator: LongTermAuthenticator
        /// The ports relay sockets bind to (`min-port`...`max-port`).
        public var relayPorts: ClosedRange<UInt16>
        /// How long a TCP or TLS connection may go without a complete frame before it is closed.
        public var tcpIdleTimeout: TimeAmount
        /// TURN over TLS, when a certificate is configured.
        public var tls: TLSSettings?
        /// The most TCP and TLS connections open at once; more are closed as they arrive.
        /// 0 for no limit.
        public var maximumStreamConnections: Int
        /// The most TCP and TLS connections of one source IPv4 address or IPv6 /64 open at
        /// once; more are closed as they arrive. 0 for no limit.
        public var maximumStreamConnectionsPerSource: Int
        /// How long a new TCP connection (or a TLS one, from the end of its handshake) may go
        /// without sending a complete STUN message or ChannelData frame.
        public var streamFirstFrameTimeout: TimeAmount
        /// How long a TLS handshake may take.
        public var tlsHandshakeTimeout: TimeAmount
        /// The UDP engines' backend (`relay-engine`).
        package var relayEngine: DatagramEngine.Choice = .auto
        /// How many UDP engines run (`relay-threads`); 0 for one per core.
        package var relayThreads = 0
        /// How long a busy engine turn waits to gather more datagrams (`relay-batch-wait`).
        package var relayBatchWait: Duration = .zero
        /// The UDP listeners' receive and send buffers in bytes (`sock-buf-size`); 0 for the
        /// system's default.
        package var listenerBufferSize = 2 << 20
        /// Whether the authenticator's nonce key is shared by a fleet (`nonce-secret-file`):
        /// a reload that brings a different key rotates to it.
        package var nonceKeyIsShared = false
        /// The longest a drain waits for allocations to end (`drain-timeout`).
        package var drainTimeout: Duration = .seconds(3600)
        /// The allocations a drained node may still hold when it stops (`drain-min-allocations`).
        package var drainRemaining = 0

        /// Creates a configuration.
        public init(
            listeningIPs: [String],
            port: Int,
            udpEnabled: Bool = true,
            tcpEnabled: Bool = true,
            relay: RelayConfiguration,
            authenticator: LongTermAuthenticator,
            relayPorts: ClosedRange<UInt16> = 49152...65535,
            tcpIdleTimeout: TimeAmount = .seconds(660),
            tls: TLSSettings? = nil,
            maximumStreamConnections: Int = 16_384,
            maximumStreamConnectionsPerSource: Int = 256,
            streamFirstFrameTimeout: TimeAmount = .seconds(10),
            tlsHandshakeTimeout: TimeAmount = .seconds(10)
        ) {
            self.listeningIPs = listeningIPs
            self.port = port
            self.udpEnabled = udpEnabled
            self.tcpEnabled = tcpEnabled
            self.relay = relay
            self.authenticator = authenticator
            self.relayPorts = relayPorts
            self.tcpIdleTimeout = tcpIdleTimeout
            self.tls = tls
            self.maximumStreamConnections = maximumStreamConnections
            self.maximumStreamConnectionsPerSource = maximumStreamConnectionsPerSource
            self.streamFirstFrameTimeout = streamFirstFrameTimeout
            self.tlsHandshakeTimeout = tlsHandshakeTimeout
        }
    }

    /// The listeners and relay loops while the service runs.
    private struct Running {
        var registry: RelayLoopRegistry
        var channels: [any Channel]
    }

    /// The UDP listener sockets of the engines, closed on their engines when the service stops.
    let datagramListeners = Mutex<[(DatagramEngine, DatagramSocket)]>([])
    /// Completed when the listeners are closed on purpose.
    private let stopped = Mutex<EventLoopPromise<Void>?>(nil)

    let configuration: Configuration
    let group: any EventLoopGroup
    let metrics: RelayMetrics
    let logger: Logger
    private let quotas = QuotaLedger()
    /// The revocations every relay loop enforces, shared with the gateway.
    public let revocations: RevocationList
    /// Whether new allocations are refused.
    public let drainSwitch: DrainSwitch
    private let running = Mutex<Running?>(nil)
    let tlsContexts: TLSContextStore?
    private let observer: (any AllocationObserver)?
    let streamConnections: StreamConnectionCounter
    /// Set when the listeners are closed on purpose (shutdown, the end of a drain).
    private let stopping = Atomic<Bool>(false)
    /// Whether the capped `sock-buf-size` warning was given (once per process).
    let bufferWarningGiven = Atomic<Bool>(false)
    /// Set when a listener closed while the service was not stopping.
    private let listenerLost = Atomic<Bool>(false)
    let streamRefusals: StreamRefusalLog
    /// The nonce issuer in use: the configured one, rotated by reloads.
    private let nonceIssuer: Mutex<NonceIssuer>
    /// Where replaced credentials go: the relay loops once they exist, and before that a store
    /// kept for them, so credentials read before the listeners open are in force from the
    /// first request.
    private let credentialTarget = Mutex<(registry: RelayLoopRegistry?, pending: CredentialStore?)>((nil, nil))
    /// Where a credential the relay lacks is looked up, set before ``run()``.
    private let credentialMisses = Mutex<(any CredentialMissResolver)?>(nil)

    /// Creates the service; nothing is bound until ``run()``.
    ///
    /// - Parameters:
    ///   - revocations: shared with the gateway, which adds to it.
    ///   - observer: the cluster's view of allocations (a cluster-wide quota, statistics).
    /// - Throws: ``TLSSetupError`` when the TLS certificate or key cannot be used.
    public init(
        configuration: Configuration,
        group: any EventLoopGroup,
        metrics: RelayMetrics,
        logger: Logger,
        revocations: RevocationList = RevocationList(),
        observer: (any AllocationObserver)? = nil
    ) throws {
        self.observer = observer
        self.tlsContexts = try configuration.tls.map(TLSContextStore.init)
        self.streamConnections = StreamConnectionCounter(
            total: configuration.maximumStreamConnections, perSource: configuration.maximumStreamConnectionsPerSource)
        self.streamRefusals = StreamRefusalLog(logger: logger, metrics: metrics)
        self.configuration = configuration
        self.group = group
        self.metrics = metrics
        self.logger = logger
        self.revocations = revocations
        self.drainSwitch = DrainSwitch()
        self.nonceIssuer = Mutex(configuration.authenticator.issuer)
    }

    /// The allocations that exist on this node (and Allocates waiting for their relay socket).
    public var allocationCount: Int { self.quotas.total }

    /// Whether every listener is bound and the relay serves.
    public var isReady: Bool { self.running.withLock { $0 != nil } && !self.hasLostListener }

    /// Whether a listener closed while the service was not stopping (the node then stops).
    public var hasLostListener: Bool { self.listenerLost.load(ordering: .relaxed) }

    /// The live allocations of every event loop.
    public func allocations() async -> [AllocationSummary] {
        guard let registry = self.running.withLock({ $0?.registry }) else { return [] }
        return await registry.summaries()
    }

    /// Deletes the allocations whose credential `matches` (user name, grant); returns how many.
    public func endAllocations(where matches: @escaping @Sendable (String, CredentialGrant) -> Bool) async -> Int {
        guard let registry = self.running.withLock({ $0?.registry }) else { return 0 }
        return await registry.end(where: matches)
    }

    /// Asks `resolver` about a user or REST secret the relay lacks before a 401 is final; must
    /// be called before ``run()``.
    package func resolveCredentialMisses(with resolver: any CredentialMissResolver) {
        self.credentialMisses.withLock { $0 = resolver }
    }

    /// Replaces the users and REST secrets (a cluster's shared store changed) without touching
    /// anything else; outstanding nonces stay valid.
    ///
    /// Before ``run()`` has made the relay loops, the store is kept and put in force as they
    /// start, before any listener opens.
    public func replaceCredentials(_ store: CredentialStore) async {
        let registry = self.credentialTarget.withLock { target in
            if target.registry == nil { target.pending = store }
            return target.registry
        }
        await registry?.replaceCredentials(store)
    }

    /// Applies a reloaded configuration without dropping an allocation: credentials (users,
    /// REST secrets, realm), lifetimes, quotas, bandwidth limits, peer policy and what responses
    /// carry take effect for the next request. Outstanding nonces stay valid: a new shared nonce
    /// key (`nonce-secret-file`) is rotated to, and the previous one is accepted until its
    /// nonces are stale. Listening addresses, ports and the relay port range need a restart.
    ///
    /// - Returns: the settings that changed but need a restart to apply.
    @discardableResult
    public func reload(_ configuration: Configuration) async -> [String] {
        let authenticator = LongTermAuthenticator(
            realm: configuration.authenticator.realm,
            store: configuration.authenticator.store,
            issuer: self.rotateNonceKey(to: configuration),
            passwordAlgorithms: configuration.authenticator.passwordAlgorithms
        )
        if let registry = self.running.withLock({ $0?.registry }) {
            await registry.reconfigure(configuration.relay, authenticator: authenticator, metrics: self.metrics)
        }
        var needRestart: [String] = []
        if configuration.listeningIPs != self.configuration.listeningIPs { needRestart.append("listening-ip") }
        if configuration.port != self.configuration.port { needRestart.append("listening-port") }
        if configuration.udpEnabled != self.configuration.udpEnabled { needRestart.append("no-udp") }
        if configuration.tcpEnabled != self.configuration.tcpEnabled { needRestart.append("no-tcp") }
        if configuration.relayPorts != self.configuration.relayPorts { needRestart.append("min-port/max-port") }
        return needRestart
    }

    /// The issuer to run with after a reload to `configuration`: the running one, or, when the
    /// configuration's shared key differs, the new one accepting the running key's nonces.
    private func rotateNonceKey(to configuration: Configuration) -> NonceIssuer {
        self.nonceIssuer.withLock { running in
            let next = configuration.authenticator.issuer
            guard configuration.nonceKeyIsShared, !running.hasSameKey(as: next) || running.lifetime != next.lifetime else { return running }
            running = running.rotated(to: next, at: Date())
            self.logger.notice("nonce key rotated: nonces of the previous key stay valid until they are stale", metadata: [
                "turn.event": "nonce_key_rotated", "turn.stale_nonce": "\(Int(next.lifetime))",
            ])
            return running
        }
    }

    /// Whether TURN over TLS is configured.
    public var servesTLS: Bool { self.tlsContexts != nil }

    /// Reads the TLS certificate and key again (SIGUSR2, as coturn): new connections use them,
    /// established ones keep theirs. When the files cannot be used, the old ones stay.
    ///
    /// - Throws: ``TLSSetupError`` naming the file.
    public func reloadTLS() throws {
        try self.tlsContexts?.reload()
    }

    /// Starts draining: new Allocates get 508 while existing allocations run on; the listeners
    /// close (and ``run()`` returns) once at most ``Configuration/drainRemaining`` allocations
    /// are left, or when ``Configuration/drainTimeout`` has passed.
    ///
    /// - Returns: false when the node was already draining.
    @discardableResult
    public func drain() -> Bool {
        self.drain(deadline: self.configuration.drainTimeout, remaining: self.configuration.drainRemaining)
    }

    /// Starts draining with an explicit deadline and threshold (see ``drain()``).
    ///
    /// - Parameters:
    ///   - deadline: the longest the drain waits before the listeners close anyway.
    ///   - remaining: the allocations the node may still hold when the listeners close.
    /// - Returns: false when the node was already draining.
    @discardableResult
    package func drain(deadline: Duration, remaining: Int) -> Bool {
        guard !self.drainSwitch.start() else { return false }
        self.logger.notice("draining: new allocations refused", metadata: [
            "turn.event": "draining", "turn.allocations": "\(self.quotas.total)", "turn.drain.remaining": "\(remaining)",
        ])
        let end = ContinuousClock.now + deadline
        Task {
            while self.quotas.total > remaining, ContinuousClock.now < end {
                try? await Task.sleep(for: .milliseconds(200))
            }
            self.logger.notice("drained", metadata: [
                "turn.event": "drained", "turn.allocations": "\(self.quotas.total)",
                "turn.drain.timed_out": "\(self.quotas.total > remaining)",
            ])
            self.stop(self.running.withLock({ $0?.channels ?? [] }))
        }
        return true
    }

    /// The metric dimensions ``RelayMetrics`` needs for this service's handlers.
    public static var ignoreReasons: [String] { TURNIgnoreReason.allCases.map(\.rawValue) }

    /// The errno labels of `turn_send_errors_total`.
    public static var sendErrorLabels: [String] { SendErrorCounts.labels }

    /// The backend labels of `turn_relay_engines`.
    public static var engineBackends: [String] { DatagramEngine.Backend.allCases.map(\.rawValue) }

    /// Binds every listener, serves until graceful shutdown, then closes them all.
    ///
    /// - Throws: ``ListenerError`` when a listener cannot be bound; listeners already bound are closed first.
    public func run() async throws {
        let pool = RelayPortPool(range: self.configuration.relayPorts)
        let store = self.credentialTarget.withLock { $0.pending.take() } ?? self.configuration.authenticator.store
        let processor = TURNRequestProcessor(
            configuration: self.configuration.relay,
            authenticator: self.configuration.authenticator.replacingStore(store),
            quotas: self.quotas,
            revocations: self.revocations,
            drain: self.drainSwitch
        )
        let engines = try self.startEngines()
        let registry: RelayLoopRegistry
        do {
            registry = try await RelayLoopRegistry.make(
                group: self.group,
                engines: engines,
                processor: processor,
                pool: pool,
                metrics: self.metrics,
                logger: self.logger,
                observer: self.observer,
                credentialMisses: self.credentialMisses.withLock { $0 }
            )
        } catch {
            await self.stopEngines(engines)
            throw error
        }
        let pending = self.credentialTarget.withLock { target in
            target.registry = registry
            return target.pending.take()
        }
        if let pending { await registry.replaceCredentials(pending) }
        defer { pool.closeAll() }
        let stopped = self.group.next().makePromise(of: Void.self)
        self.stopped.withLock { $0 = stopped }
        let channels: [any Channel]
        do {
            channels = try await self.bindAll(registry)
        } catch {
            self.stop([])
            await registry.shutdown()
            await self.stopEngines(engines)
            throw error
        }
        self.running.withLock { $0 = Running(registry: registry, channels: channels) }
        if self.stopping.load(ordering: .relaxed) {
            // A drain that ended before the listeners were bound found none to close.
            self.stop(channels)
        }
        // Cancelled too (another service of the group failed): the listeners' futures know
        // nothing of task cancellation, so closing them is what ends the wait.
        let lost = await withTaskCancellationOrGracefulShutdownHandler {
            await self.waitForListeners(channels, stopped: stopped.futureResult)
        } onCancelOrGracefulShutdown: {
            self.stop(channels)
        }
        self.stop(channels)
        self.running.withLock { $0 = nil }
        await registry.shutdown()
        await self.stopEngines(engines)
        if let lost {
            throw ListenerError(transport: "listener", address: lost.localAddress.map(Self.text) ?? "?", reason: "closed unexpectedly")
        }
        self.logger.info("listeners closed, allocations deleted")
    }

    /// Closes every listener on purpose (shutdown, or the end of a drain).
    private func stop(_ channels: [any Channel]) {
        self.stopping.store(true, ordering: .relaxed)
        for channel in channels {
            channel.close(promise: nil)
        }
        let listeners = self.datagramListeners.withLock { listeners in
            defer { listeners = [] }
            return listeners
        }
        for (engine, socket) in listeners {
            engine.execute { engine.close(socket) }
        }
        self.stopped.withLock { promise in
            promise?.succeed()
            promise = nil
        }
    }

    /// Starts the UDP engines (none when UDP is off) and logs which backend they use.
    ///
    /// - Throws: ``ListenerError`` when the chosen backend cannot be set up.
    private func startEngines() throws -> [DatagramEngine] {
        guard self.configuration.udpEnabled else { return [] }
        let count = self.configuration.relayThreads > 0 ? self.configuration.relayThreads : System.coreCount
        var engines: [DatagramEngine] = []
        for index in 0..<count {
            do {
                let engine = try DatagramEngine(
                    choice: self.configuration.relayEngine, batchWait: self.configuration.relayBatchWait, name: "turngate-udp-\(index)")
                try engine.start()
                engines.append(engine)
            } catch {
                for engine in engines { engine.stop() }
                throw ListenerError(transport: "UDP", address: "relay-engine \(self.configuration.relayEngine.rawValue)", reason: "\(error)")
            }
            self.metrics.engineStarted(backend: engines[index].backend.rawValue)
        }
        var metadata: Logger.Metadata = [
            "turn.engine": "\(engines.first?.backend.rawValue ?? "")", "turn.engines": "\(engines.count)",
            "turn.batch_wait.us": "\(self.configuration.relayBatchWait.components.attoseconds / 1_000_000_000_000)",
        ]
        if let reason = engines.first?.fallbackReason { metadata["turn.io_uring.unavailable"] = "\(reason)" }
        self.logger.info("udp engines started", metadata: metadata)
        return engines
    }

    /// Stops the engines and waits until their threads end.
    private func stopEngines(_ engines: [DatagramEngine]) async {
        for engine in engines {
            await withCheckedContinuation { continuation in engine.stop { continuation.resume() } }
            self.metrics.engineStopped(backend: engine.backend.rawValue)
        }
    }

    /// How long a node that lost a listener keeps serving the rest, not ready, before it stops:
    /// long enough for health checks and load balancers to move new clients elsewhere.
    static let listenerLossGrace: Duration = .seconds(5)

    /// Waits until every listener has closed. A listener that closes while the service is not
    /// stopping is lost: the node is no longer ready, serves on with the others for
    /// ``listenerLossGrace``, then closes them and ``run()`` throws, so the process exits
    /// non-zero instead of serving half-dead.
    ///
    /// - Returns: the listener that was lost, or nil when all closed on purpose.
    private func waitForListeners(_ channels: [any Channel], stopped: EventLoopFuture<Void>) async -> (any Channel)? {
        await withTaskGroup(of: (any Channel)?.self) { group in
            for channel in channels {
                group.addTask {
                    try? await channel.closeFuture.get()
                    return channel
                }
            }
            group.addTask {
                try? await stopped.get()
                return nil
            }
            var lost: (any Channel)?
            for await case let closed? in group where lost == nil && !self.stopping.load(ordering: .relaxed) {
                lost = closed
                self.listenerLost.store(true, ordering: .relaxed)
                self.logger.error("listener closed unexpectedly: not ready; the node stops shortly", metadata: [
                    "turn.event": "listener_lost", "turn.listener": "\(closed.localAddress.map(Self.text) ?? "?")",
                ])
                try? await Task.sleep(for: Self.listenerLossGrace)
                self.stop(channels)
            }
            return lost
        }
    }
}
