public import Logging
public import NIOCore
import NIOPosix
import NIOSSL
public import ServiceLifecycle
public import TURNAuth
public import TURNCore
public import TURNMetrics
import Synchronization

/// The STUN/TURN relay as one ``Service``: binds every configured address on UDP and TCP,
/// relays until graceful shutdown, then closes the listeners and deletes every allocation.
///
/// UDP: one socket per event loop on each address, sharing the port with `SO_REUSEPORT`, so
/// the kernel spreads clients over the loops and each client's traffic stays on one thread.
/// Before the group is bound, the port is probed without `SO_REUSEPORT`, so a port that
/// another server (even one using `SO_REUSEPORT`, as coturn does) holds is reported as taken
/// instead of silently shared.
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
        /// How long a TCP or TLS connection may stay silent before it is closed.
        public var tcpIdleTimeout: TimeAmount
        /// TURN over TLS, when a certificate is configured.
        public var tls: TLSSettings?
        /// The most TCP and TLS connections open at once; more are closed as they arrive.
        public var maximumStreamConnections: Int

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
            maximumStreamConnections: Int = 16_384
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
        }
    }

    /// The listeners and relay loops while the service runs.
    private struct Running {
        var registry: RelayLoopRegistry
        var channels: [any Channel]
    }

    private let configuration: Configuration
    private let group: any EventLoopGroup
    private let metrics: RelayMetrics
    private let logger: Logger
    private let quotas = QuotaLedger()
    /// The revocations every relay loop enforces, shared with the gateway.
    public let revocations: RevocationList
    /// Whether new allocations are refused.
    public let drainSwitch: DrainSwitch
    private let running = Mutex<Running?>(nil)
    private let tlsContexts: TLSContextStore?
    private let observer: (any AllocationObserver)?
    private let streamConnections: StreamConnectionCounter

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
        self.streamConnections = StreamConnectionCounter(limit: configuration.maximumStreamConnections)
        self.configuration = configuration
        self.group = group
        self.metrics = metrics
        self.logger = logger
        self.revocations = revocations
        self.drainSwitch = DrainSwitch()
    }

    /// The allocations that exist on this node (and Allocates waiting for their relay socket).
    public var allocationCount: Int { self.quotas.total }

    /// Whether every listener is bound and the relay serves.
    public var isReady: Bool { self.running.withLock { $0 != nil } }

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

    /// Replaces the users and REST secrets (a cluster's shared store changed) without touching
    /// anything else; outstanding nonces stay valid.
    ///
    /// - Returns: false when the relay is not running (yet), and nothing was replaced.
    @discardableResult
    public func replaceCredentials(_ store: CredentialStore) async -> Bool {
        guard let registry = self.running.withLock({ $0?.registry }) else { return false }
        await registry.replaceCredentials(store)
        return true
    }

    /// Applies a reloaded configuration without dropping an allocation: credentials (users,
    /// REST secrets, realm), lifetimes, quotas, bandwidth limits, peer policy and what responses
    /// carry take effect for the next request. Outstanding nonces stay valid. Listening
    /// addresses, ports and the relay port range need a restart.
    ///
    /// - Returns: the settings that changed but need a restart to apply.
    @discardableResult
    public func reload(_ configuration: Configuration) async -> [String] {
        let authenticator = LongTermAuthenticator(
            realm: configuration.authenticator.realm,
            store: configuration.authenticator.store,
            issuer: self.configuration.authenticator.issuer,
            passwordAlgorithms: configuration.authenticator.passwordAlgorithms
        )
        if let registry = self.running.withLock({ $0?.registry }) {
            await registry.reconfigure(configuration.relay, authenticator: authenticator)
        }
        var needRestart: [String] = []
        if configuration.listeningIPs != self.configuration.listeningIPs { needRestart.append("listening-ip") }
        if configuration.port != self.configuration.port { needRestart.append("listening-port") }
        if configuration.udpEnabled != self.configuration.udpEnabled { needRestart.append("no-udp") }
        if configuration.tcpEnabled != self.configuration.tcpEnabled { needRestart.append("no-tcp") }
        if configuration.relayPorts != self.configuration.relayPorts { needRestart.append("min-port/max-port") }
        return needRestart
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
    /// close (and ``run()`` returns) when the last allocation ends or `deadline` passes.
    ///
    /// - Returns: false when the node was already draining.
    @discardableResult
    public func drain(deadline: Duration) -> Bool {
        guard !self.drainSwitch.start() else { return false }
        self.logger.notice("draining: new allocations refused", metadata: ["turn.allocations": "\(self.quotas.total)"])
        let end = ContinuousClock.now + deadline
        Task {
            while self.quotas.total > 0, ContinuousClock.now < end {
                try? await Task.sleep(for: .milliseconds(500))
            }
            self.logger.notice("drained", metadata: ["turn.allocations": "\(self.quotas.total)"])
            for channel in self.running.withLock({ $0?.channels ?? [] }) {
                channel.close(promise: nil)
            }
        }
        return true
    }

    /// The metric dimensions ``RelayMetrics`` needs for this service's handlers.
    public static var ignoreReasons: [String] { TURNIgnoreReason.allCases.map(\.rawValue) }

    /// Binds every listener, serves until graceful shutdown, then closes them all.
    ///
    /// - Throws: ``ListenerError`` when a listener cannot be bound; listeners already bound are closed first.
    public func run() async throws {
        let pool = RelayPortPool(range: self.configuration.relayPorts)
        let processor = TURNRequestProcessor(
            configuration: self.configuration.relay,
            authenticator: self.configuration.authenticator,
            quotas: self.quotas,
            revocations: self.revocations,
            drain: self.drainSwitch
        )
        let registry = try await RelayLoopRegistry.make(
            group: self.group,
            processor: processor,
            pool: pool,
            metrics: self.metrics,
            logger: self.logger,
            observer: self.observer
        )
        defer { pool.closeAll() }
        let channels: [any Channel]
        do {
            channels = try await self.bindAll(registry)
        } catch {
            await registry.shutdown()
            throw error
        }
        self.running.withLock { $0 = Running(registry: registry, channels: channels) }
        await withGracefulShutdownHandler {
            for channel in channels {
                try? await channel.closeFuture.get()
            }
        } onGracefulShutdown: {
            for channel in channels {
                channel.close(promise: nil)
            }
        }
        self.running.withLock { $0 = nil }
        await registry.shutdown()
        self.logger.info("listeners closed, allocations deleted")
    }

    private func bindAll(_ registry: RelayLoopRegistry) async throws -> [any Channel] {
        var channels: [any Channel] = []
        do {
            for host in self.listeningHosts() {
                let address = try self.socketAddress(host)
                if self.configuration.udpEnabled {
                    channels += try await self.bindUDP(address, registry)
                }
                if self.configuration.tcpEnabled {
                    channels.append(try await self.bindStream(address, registry, tls: nil))
                }
                if let tlsContexts = self.tlsContexts, let tls = self.configuration.tls {
                    let tlsAddress = try self.socketAddress(host, port: tls.port)
                    channels.append(try await self.bindStream(tlsAddress, registry, tls: tlsContexts))
                }
            }
        } catch {
            for channel in channels {
                try? await channel.close()
            }
            throw error
        }
        return channels
    }

    private func listeningHosts() -> [String] {
        self.configuration.listeningIPs.isEmpty ? ["0.0.0.0", "::"] : self.configuration.listeningIPs
    }

    private func socketAddress(_ host: String, port: Int? = nil) throws -> SocketAddress {
        let port = port ?? self.configuration.port
        do {
            return try SocketAddress(ipAddress: host, port: port)
        } catch {
            throw ListenerError(transport: "UDP/TCP", address: "\(host):\(port)", reason: "not an IP address")
        }
    }

    private func bindUDP(_ address: SocketAddress, _ registry: RelayLoopRegistry) async throws -> [any Channel] {
        try await self.withListenerError("UDP", address) {
            let probe = try await self.datagramBootstrap(reusePort: false, address: address, registry: nil).bind(to: address).get()
            try await probe.close()
        }
        var channels: [any Channel] = []
        for loop in self.group.makeIterator() {
            let channel = try await self.withListenerError("UDP", address) {
                try await self.datagramBootstrap(reusePort: true, address: address, registry: registry, on: loop).bind(to: address).get()
            }
            channels.append(channel)
        }
        self.logger.info("listening", metadata: ["turn.transport": "udp", "turn.listener": "\(address)", "turn.sockets": "\(channels.count)"])
        return channels
    }

    private func datagramBootstrap(
        reusePort: Bool,
        address: SocketAddress,
        registry: RelayLoopRegistry?,
        on loop: (any EventLoop)? = nil
    ) -> DatagramBootstrap {
        var bootstrap = DatagramBootstrap(group: loop ?? self.group.next())
            .channelOption(.datagramVectorReadMessageCount, value: 32)
            .channelOption(.maxMessagesPerRead, value: 1)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 32 * 2048))
        if reusePort {
            bootstrap = bootstrap.channelOption(.socketOption(NIOBSDSocket.Option(rawValue: SO_REUSEPORT)), value: 1)
        }
        if case .v6 = address {
            bootstrap = bootstrap.channelOption(.ipOption(.ipv6_v6only), value: 1)
        }
        return bootstrap.channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                guard let registry else { return }
                guard let relayLoop = registry.loop(for: channel.eventLoop) else { throw RelayLoopMissing() }
                try channel.pipeline.syncOperations.addHandler(TURNDatagramHandler(loop: relayLoop))
            }
        }
    }

    /// A TCP listener, with TLS when `tls` is given: STUN and ChannelData framed on one stream.
    private func bindStream(_ address: SocketAddress, _ registry: RelayLoopRegistry, tls: TLSContextStore?) async throws -> any Channel {
        let metrics = self.metrics
        let logger = self.logger
        let idleTimeout = self.configuration.tcpIdleTimeout
        let counter = self.streamConnections
        let transport = tls == nil ? "tcp" : "tls"
        var bootstrap = ServerBootstrap(group: self.group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 256 * 1024, high: 1024 * 1024))
        if case .v6 = address {
            bootstrap = bootstrap.serverChannelOption(.ipOption(.ipv6_v6only), value: 1)
        }
        bootstrap = bootstrap.childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                guard let relayLoop = registry.loop(for: channel.eventLoop) else { throw RelayLoopMissing() }
                let pipeline = channel.pipeline.syncOperations
                try pipeline.addHandler(StreamConnectionLimitHandler(counter: counter, logger: logger))
                if let tls {
                    try pipeline.addHandler(NIOSSLServerHandler(context: tls.current))
                }
                try pipeline.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                try pipeline.addHandler(ByteToMessageHandler(STUNStreamFrameDecoder()))
                try pipeline.addHandler(TURNStreamHandler(loop: relayLoop, metrics: metrics, logger: logger))
            }
        }
        let channel = try await self.withListenerError(transport.uppercased(), address) {
            try await bootstrap.bind(to: address).get()
        }
        self.logger.info("listening", metadata: ["turn.transport": "\(transport)", "turn.listener": "\(address)"])
        return channel
    }

    private func withListenerError<T>(_ transport: String, _ address: SocketAddress, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as IOError {
            throw ListenerError(transport: transport, address: Self.text(address), reason: "\(error)")
        } catch let error as SocketAddressError {
            throw ListenerError(transport: transport, address: Self.text(address), reason: "\(error)")
        }
    }

    private static func text(_ address: SocketAddress) -> String {
        let host = address.ipAddress ?? "?"
        let port = address.port.map(String.init) ?? "?"
        if case .v6 = address { return "[\(host)]:\(port)" }
        return "\(host):\(port)"
    }
}

/// A channel came up on an event loop that is not in the server's group (a programming error).
struct RelayLoopMissing: Error {}
