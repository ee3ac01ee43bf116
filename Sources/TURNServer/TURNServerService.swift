public import Logging
public import NIOCore
import NIOPosix
public import ServiceLifecycle
public import TURNCore
public import TURNMetrics

/// The STUN/TURN listeners as one ``Service``: binds every configured address on UDP and TCP,
/// serves until graceful shutdown, then closes them.
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
        /// What Binding responses carry.
        public var responder: BindingResponder.Configuration
        /// How long a TCP connection may stay silent before it is closed.
        public var tcpIdleTimeout: TimeAmount

        /// Creates a configuration.
        public init(
            listeningIPs: [String],
            port: Int,
            udpEnabled: Bool = true,
            tcpEnabled: Bool = true,
            responder: BindingResponder.Configuration = .init(),
            tcpIdleTimeout: TimeAmount = .seconds(300)
        ) {
            self.listeningIPs = listeningIPs
            self.port = port
            self.udpEnabled = udpEnabled
            self.tcpEnabled = tcpEnabled
            self.responder = responder
            self.tcpIdleTimeout = tcpIdleTimeout
        }
    }

    private let configuration: Configuration
    private let group: any EventLoopGroup
    private let metrics: RelayMetrics
    private let logger: Logger

    /// Creates the service; nothing is bound until ``run()``.
    public init(configuration: Configuration, group: any EventLoopGroup, metrics: RelayMetrics, logger: Logger) {
        self.configuration = configuration
        self.group = group
        self.metrics = metrics
        self.logger = logger
    }

    /// The metric dimensions ``RelayMetrics`` needs for this service's handlers.
    public static var ignoreReasons: [String] {
        BindingResponder.IgnoreReason.allCases.map(\.rawValue) + [STUNStreamHandler.channelDataWithoutAllocation]
    }

    /// Binds every listener, serves until graceful shutdown, then closes them all.
    ///
    /// - Throws: ``ListenerError`` when a listener cannot be bound; listeners already bound are closed first.
    public func run() async throws {
        let channels = try await self.bindAll()
        await withGracefulShutdownHandler {
            for channel in channels {
                try? await channel.closeFuture.get()
            }
        } onGracefulShutdown: {
            for channel in channels {
                channel.close(promise: nil)
            }
        }
        self.logger.info("listeners closed")
    }

    private func bindAll() async throws -> [any Channel] {
        var channels: [any Channel] = []
        do {
            for host in self.listeningHosts() {
                let address = try self.socketAddress(host)
                if self.configuration.udpEnabled {
                    channels += try await self.bindUDP(address)
                }
                if self.configuration.tcpEnabled {
                    channels.append(try await self.bindTCP(address))
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

    private func socketAddress(_ host: String) throws -> SocketAddress {
        do {
            return try SocketAddress(ipAddress: host, port: self.configuration.port)
        } catch {
            throw ListenerError(transport: "UDP/TCP", address: "\(host):\(self.configuration.port)", reason: "not an IP address")
        }
    }

    private func bindUDP(_ address: SocketAddress) async throws -> [any Channel] {
        try await self.withListenerError("UDP", address) {
            let probe = try await self.datagramBootstrap(reusePort: false, address: address).bind(to: address).get()
            try await probe.close()
        }
        var channels: [any Channel] = []
        for loop in self.group.makeIterator() {
            let channel = try await self.withListenerError("UDP", address) {
                try await self.datagramBootstrap(reusePort: true, address: address, on: loop).bind(to: address).get()
            }
            channels.append(channel)
        }
        self.logger.info("listening", metadata: ["turn.transport": "udp", "turn.listener": "\(address)", "turn.sockets": "\(channels.count)"])
        return channels
    }

    private func datagramBootstrap(reusePort: Bool, address: SocketAddress, on loop: (any EventLoop)? = nil) -> DatagramBootstrap {
        let responder = BindingResponder(configuration: self.configuration.responder)
        let metrics = self.metrics
        let logger = self.logger
        var bootstrap = DatagramBootstrap(group: loop ?? self.group.next())
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.datagramVectorReadMessageCount, value: 32)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 32 * 2048))
        if reusePort {
            bootstrap = bootstrap.channelOption(.socketOption(NIOBSDSocket.Option(rawValue: SO_REUSEPORT)), value: 1)
        }
        if case .v6 = address {
            bootstrap = bootstrap.channelOption(.ipOption(.ipv6_v6only), value: 1)
        }
        return bootstrap.channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(
                    STUNDatagramHandler(responder: responder, metrics: metrics, logger: logger)
                )
            }
        }
    }

    private func bindTCP(_ address: SocketAddress) async throws -> any Channel {
        let responder = BindingResponder(configuration: self.configuration.responder)
        let metrics = self.metrics
        let logger = self.logger
        let idleTimeout = self.configuration.tcpIdleTimeout
        var bootstrap = ServerBootstrap(group: self.group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
        if case .v6 = address {
            bootstrap = bootstrap.serverChannelOption(.ipOption(.ipv6_v6only), value: 1)
        }
        bootstrap = bootstrap.childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                let pipeline = channel.pipeline.syncOperations
                try pipeline.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                try pipeline.addHandler(ByteToMessageHandler(STUNStreamFrameDecoder()))
                try pipeline.addHandler(STUNStreamHandler(responder: responder, metrics: metrics, logger: logger))
            }
        }
        let channel = try await self.withListenerError("TCP", address) {
            try await bootstrap.bind(to: address).get()
        }
        self.logger.info("listening", metadata: ["turn.transport": "tcp", "turn.listener": "\(address)"])
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
