import Foundation
import Logging
import NIOCore
import NIOPosix
import STUNWire
import TURNCore

/// TCP allocations (RFC 6062): the relay listener, connections to and from peers, and the
/// splice of a peer connection with its client data connection.
extension RelayLoop {
    /// Opens the listening socket of a TCP allocation on this loop, on the relay address and a
    /// port from the pool, then completes (or fails) the Allocate.
    func openTCPRelay(_ request: RelayRequest, endpoint: RelayEndpoint) {
        let tcp = TCPRelayEndpoint()
        endpoint.tcp = tcp
        self.bindTCPListener(request, attemptsLeft: RelayPortPool.bindAttempts).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let (channel, port)):
                endpoint.relayChannel = channel
                tcp.listener = channel
                tcp.port = port
                self.completeRelay(request, endpoint: endpoint, port: port, additionalPort: nil, reservationToken: nil)
            case .failure(let error):
                self.failRelay(request, endpoint: endpoint, error: "tcp relay listener: \(error)")
            }
            self.flush()
        }
    }

    private func bindTCPListener(_ request: RelayRequest, attemptsLeft: Int) -> EventLoopFuture<(any Channel, UInt16)> {
        guard attemptsLeft > 0, let port = self.pool.randomPort() else { return self.eventLoop.makeFailedFuture(RelaySocketBinder.Failure()) }
        guard self.tcpShared.claimPort(port) else { return self.bindTCPListener(request, attemptsLeft: attemptsLeft - 1) }
        let address: SocketAddress
        do {
            address = try SocketAddress(STUNTransportAddress(address: request.address, port: port))
        } catch {
            self.tcpShared.releasePort(port)
            return self.eventLoop.makeFailedFuture(error)
        }
        let loop = NIOLoopBound(self, eventLoop: self.eventLoop)
        let fiveTuple = request.fiveTuple
        var bootstrap = ServerBootstrap(group: self.eventLoop)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.socketOption(NIOBSDSocket.Option(rawValue: SO_REUSEPORT)), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: Self.peerWaterMark)
            .serverChannelInitializer { channel in AcceptFailureHandler.addAcceptBackoff(to: channel) }
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try loop.value.acceptPeer(channel, on: fiveTuple)
                }
            }
        if case .v6 = address {
            bootstrap = bootstrap.serverChannelOption(.ipOption(.ipv6_v6only), value: 1)
        }
        let shared = self.tcpShared
        return bootstrap.bind(to: address).map { ($0, port) }.flatMapError { _ in
            shared.releasePort(port)
            return loop.value.bindTCPListener(request, attemptsLeft: attemptsLeft - 1)
        }
    }

    /// The write buffer bounds of peer connections: past the high mark the client data
    /// connection stops being read.
    static let peerWaterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 64 * 1024, high: 256 * 1024)

    /// A peer connected to a TCP allocation's relayed address: kept when the processor accepts
    /// it (the client hears ConnectionAttempt), else closed at once by throwing.
    func acceptPeer(_ channel: any Channel, on fiveTuple: FiveTuple) throws {
        guard let endpoint = self.endpoint(of: fiveTuple), let tcp = endpoint.tcp,
            let peer = channel.remoteAddress.flatMap(STUNTransportAddress.init)
        else { throw TCPPeerRefused() }
        var generator = SystemRandomNumberGenerator()
        let decision = self.processor.acceptPeerConnection(
            on: fiveTuple, from: peer, transactionID: .random(using: &generator), now: .now)
        guard case .accept(let id, let indication) = decision else {
            self.metrics.tcpConnection(.refused)
            self.logger.debug("tcp peer refused", metadata: ["turn.client": "\(fiveTuple.client)", "turn.peer": "\(peer)"])
            throw TCPPeerRefused()
        }
        do {
            try channel.pipeline.syncOperations.addHandler(self.peerHandler(id: id, on: fiveTuple))
        } catch {
            self.processor.tcpConnectionClosed(id, on: fiveTuple)
            throw error
        }
        self.registerPeer(channel, id: id, on: fiveTuple, tcp: tcp)
        self.metrics.tcpConnection(.accepted)
        self.send(indication, to: endpoint.link)
        self.flush()
    }

    /// Connect: a TCP connection from the relayed address to the peer, within the timeout.
    func connectPeer(_ request: TCPConnectRequest, link: ClientLink) {
        guard let endpoint = self.endpoint(of: request.fiveTuple), let tcp = endpoint.tcp,
            let local = try? SocketAddress(request.relayedAddress), let remote = try? SocketAddress(request.peer)
        else {
            self.metrics.tcpConnection(.connectFailed)
            self.perform(self.processor.failConnect(request), link: link)
            return
        }
        let loop = NIOLoopBound(self, eventLoop: self.eventLoop)
        let timeout = TimeAmount.seconds(request.timeout.components.seconds)
        ClientBootstrap(group: self.eventLoop)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(NIOBSDSocket.Option(rawValue: SO_REUSEPORT)), value: 1)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelOption(.writeBufferWaterMark, value: Self.peerWaterMark)
            .connectTimeout(timeout)
            .bind(to: local)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(loop.value.peerHandler(id: request.connectionID, on: request.fiveTuple))
                }
            }
            .connect(to: remote)
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    let actions = self.processor.completeConnect(request, now: .now)
                    guard !actions.isEmpty, self.endpoint(of: request.fiveTuple) === endpoint else {
                        channel.close(promise: nil)
                        return
                    }
                    self.registerPeer(channel, id: request.connectionID, on: request.fiveTuple, tcp: tcp)
                    self.metrics.tcpConnection(.connected)
                    self.perform(actions, link: link)
                case .failure(let error):
                    self.metrics.tcpConnection(.connectFailed)
                    self.logger.debug("tcp connect to peer failed", metadata: [
                        "turn.client": "\(request.fiveTuple.client)", "turn.peer": "\(request.peer)", "turn.error": "\(error)",
                    ])
                    self.perform(self.processor.failConnect(request), link: link)
                }
                self.flush()
            }
    }

    /// The handler of a peer connection, which reports its closing to this loop.
    fileprivate func peerHandler(id: UInt32, on fiveTuple: FiveTuple) -> TCPSpliceHandler {
        TCPSpliceHandler(metrics: self.metrics) { [weak self] in
            self?.peerConnectionClosed(id, on: fiveTuple)
        }
    }

    private func registerPeer(_ channel: any Channel, id: UInt32, on fiveTuple: FiveTuple, tcp: TCPRelayEndpoint) {
        tcp.peers[id] = channel
        self.tcpShared.register(channel, id: id)
        tcp.bindTimers[id] = self.eventLoop.assumeIsolated().scheduleTask(in: .seconds(TCPAllocationState.bindTimeout.components.seconds)) {
            tcp.bindTimers[id] = nil
            if self.processor.expireTCPConnection(id, on: fiveTuple, now: .now) {
                self.metrics.tcpConnection(.bindTimeout)
                channel.close(promise: nil)
            }
        }
    }

    /// A peer connection closed: forgotten by the processor, the endpoint and the node.
    func peerConnectionClosed(_ id: UInt32, on fiveTuple: FiveTuple) {
        self.processor.tcpConnectionClosed(id, on: fiveTuple)
        self.tcpShared.remove(id)
        guard let tcp = self.endpoint(of: fiveTuple)?.tcp else { return }
        tcp.peers[id] = nil
        tcp.bindTimers.removeValue(forKey: id)?.cancel()
    }

    /// ConnectionBind succeeded on `link`: after the response, the connection stops speaking
    /// STUN and carries the peer connection's bytes both ways. Each connection closes with
    /// the other.
    func bindConnection(_ request: TCPConnectionBindRequest, link: ClientLink) {
        guard case .stream(let data) = link else { return }
        data.flush()
        guard let peer = self.tcpShared.peer(request.connectionID) else {
            data.close(promise: nil)
            return
        }
        do {
            let pipeline = data.pipeline.syncOperations
            try pipeline.addHandler(TCPSpliceHandler(partner: peer, metrics: self.metrics))
            for context in [
                try? pipeline.context(handlerType: TURNStreamHandler.self),
                try? pipeline.context(handlerType: StreamDeadlineHandler.self),
                try? pipeline.context(handlerType: ByteToMessageHandler<STUNStreamFrameDecoder>.self),
                try? pipeline.context(handlerType: StreamBackpressureHandler.self),
            ] {
                if let context { pipeline.removeHandler(context: context, promise: nil) }
            }
            try data.syncOptions?.setOption(.allowRemoteHalfClosure, value: true)
        } catch {
            data.close(promise: nil)
            peer.close(promise: nil)
            return
        }
        data.closeFuture.whenComplete { _ in peer.close(promise: nil) }
        peer.closeFuture.whenComplete { _ in data.close(promise: nil) }
        peer.pipeline.fireUserInboundEventTriggered(TCPSpliceHandler.Attach(partner: data))
        self.logger.debug("tcp connection bound", metadata: [
            "turn.client": "\(request.dataFiveTuple.client)", "turn.connection": "\(request.connectionID)",
        ])
    }
}
