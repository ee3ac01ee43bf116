import DatagramEngine
import NIOCore
import NIOPosix
import NIOSSL
import STUNWire

/// The listeners: every configured address on UDP (the engines' sockets, after a probe that
/// finds a port someone else holds) and TCP/TLS (NIO), each failure named by transport,
/// address and port.
extension TURNServerService {
    func bindAll(_ registry: RelayLoopRegistry) async throws -> [any Channel] {
        var channels: [any Channel] = []
        do {
            for host in self.listeningHosts() {
                let address = try self.socketAddress(host)
                if self.configuration.udpEnabled {
                    try await self.bindUDP(address, registry)
                }
                if self.configuration.tcpEnabled {
                    channels.append(try await self.bindStream(address, registry, tls: nil))
                }
                if let tlsContexts = self.tlsContexts, let tls = self.configuration.tls {
                    let tlsAddress = try self.socketAddress(host, port: tls.port)
                    channels.append(try await self.bindStream(tlsAddress, registry, tls: tlsContexts))
                }
            }
            for alternate in self.configuration.relay.natDiscovery?.alternateListeners ?? [] {
                try await self.bindUDP(try SocketAddress(alternate), registry)
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

    /// One socket per engine on `address`, sharing the port with `SO_REUSEPORT`, after a
    /// probe without it that fails when anyone else holds the port.
    private func bindUDP(_ address: SocketAddress, _ registry: RelayLoopRegistry) async throws {
        guard let local = STUNTransportAddress(address) else {
            throw ListenerError(transport: "UDP", address: Self.text(address), reason: "not an IP address")
        }
        try await self.withListenerError("UDP", address) {
            try DatagramSender.probe(SocketAddressStorage(local))
        }
        let bufferSize = self.configuration.listenerBufferSize
        for bound in registry.engineLoops {
            let listener = try await self.withListenerError("UDP", address) {
                try await bound.eventLoop.submit {
                    let loop = bound.value
                    guard let engine = loop.engine else { throw RelayLoopMissing() }
                    let socket = try engine.open(local, options: .init(reusePort: true, bufferSize: bufferSize), role: .listener, receiver: EngineListener(loop: loop))
                    loop.listenerSenders[local] = socket.sender
                    return (engine, socket)
                }.get()
            }
            self.datagramListeners.withLock { $0.append(listener) }
            self.warnIfCapped(listener.1.sender.receiveBufferSize, asked: bufferSize)
        }
        self.logger.info("listening", metadata: ["turn.transport": "udp", "turn.listener": "\(address)", "turn.sockets": "\(registry.engineLoops.count)"])
    }

    /// Says once that the kernel granted a UDP listener less receive buffer than `sock-buf-size`
    /// asked for (it caps the size at `net.core.rmem_max` instead of refusing it, as coturn
    /// relies on), so a burst the operator sized the buffer for may be dropped.
    private func warnIfCapped(_ granted: Int, asked: Int) {
        guard asked > 0, granted < asked, !self.bufferWarningGiven.exchange(true, ordering: .relaxed) else { return }
        self.logger.warning("sock-buf-size: the kernel capped the UDP listeners' receive buffer", metadata: [
            "turn.sock_buf_size.asked": "\(asked)", "turn.sock_buf_size.granted": "\(granted)",
            "turn.hint": "raise net.core.rmem_max (and net.core.wmem_max) to at least the asked size",
        ])
    }

    /// A TCP listener, with TLS when `tls` is given: STUN and ChannelData framed on one stream.
    ///
    /// Each connection's pipeline: the connection limits, TLS, backpressure (no reading while
    /// the client does not read), the frame decoder, the deadlines (TLS handshake, first
    /// frame, idle; only complete frames count), the TURN handler. The listening socket backs
    /// off for a moment when an accept fails (at the open-files limit) instead of spinning.
    /// One read takes at most 16 KiB from a connection, so a client pipelining requests
    /// cannot hold its event loop for long while the other connections on it wait.
    private func bindStream(_ address: SocketAddress, _ registry: RelayLoopRegistry, tls: TLSContextStore?) async throws -> any Channel {
        let metrics = self.metrics
        let logger = self.logger
        let counter = self.streamConnections
        let refusals = self.streamRefusals
        let timeouts = StreamDeadlineStateMachine.Timeouts(
            handshake: tls == nil ? nil : self.configuration.tlsHandshakeTimeout,
            firstFrame: self.configuration.streamFirstFrameTimeout,
            idle: self.configuration.tcpIdleTimeout
        )
        let transport = tls == nil ? "tcp" : "tls"
        var bootstrap = ServerBootstrap(group: self.group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                AcceptFailureHandler.addAcceptBackoff(to: channel) { refusals.record(.acceptFailed, client: nil) }
            }
            .childChannelOption(.socketOption(.so_keepalive), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 64 * 1024, high: 256 * 1024))
            .childChannelOption(.maxMessagesPerRead, value: 1)
            .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: 16 * 1024))
        if case .v6 = address {
            bootstrap = bootstrap.serverChannelOption(.ipOption(.ipv6_v6only), value: 1)
        }
        bootstrap = bootstrap.childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                guard let relayLoop = registry.loop(for: channel.eventLoop) else { throw RelayLoopMissing() }
                let pipeline = channel.pipeline.syncOperations
                try pipeline.addHandler(StreamConnectionLimitHandler(counter: counter) { refusal, client in
                    switch refusal {
                    case .total: refusals.record(.totalLimit, client: client, limit: counter.total)
                    case .source: refusals.record(.sourceLimit, client: client, limit: counter.perSource)
                    }
                })
                if let tls {
                    try pipeline.addHandler(NIOSSLServerHandler(context: tls.current))
                }
                try pipeline.addHandler(StreamBackpressureHandler())
                try pipeline.addHandler(ByteToMessageHandler(STUNStreamFrameDecoder()))
                try pipeline.addHandler(StreamDeadlineHandler(timeouts: timeouts, tls: tls != nil, refusals: refusals))
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
        } catch let error as DatagramSocketError {
            throw ListenerError(transport: transport, address: Self.text(address), reason: "\(error)")
        }
    }

    static func text(_ address: SocketAddress) -> String {
        let host = address.ipAddress ?? "?"
        let port = address.port.map(String.init) ?? "?"
        if case .v6 = address { return "[\(host)]:\(port)" }
        return "\(host):\(port)"
    }
}

/// A channel came up on an event loop that is not in the server's group (a programming error).
struct RelayLoopMissing: Error {}
