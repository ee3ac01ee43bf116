/// Opens client and peer sockets, sets up one allocation per client, and deletes them after.
///
/// Each client gets `Allocate` (with the 401 round trip), then `CreatePermission` and, for
/// ChannelData, `ChannelBind` to its peer. With raw framing the single request is the
/// forwarder's hello. Client sockets bind on their own loopback address, so they never share
/// a port range with a server's relay addresses.
struct AllocationSetup {
    /// The server's address.
    var server: IPv4Endpoint
    /// Where clients bind.
    var clientAddress: IPv4Endpoint
    /// How clients frame data.
    var framing: Framing
    /// How control requests are signed and pipelined.
    var driver: ControlDriver

    /// Receive and send buffer size asked for on data sockets.
    static let dataBufferBytes: Int32 = 4 << 20

    /// Opens `count` client sockets connected to the server.
    func openClients(_ count: Int, bufferBytes: Int32? = nil) throws(BenchError) -> [UDPSocket] {
        var sockets: [UDPSocket] = []
        sockets.reserveCapacity(count)
        do {
            for _ in 0..<count {
                let socket = try UDPSocket.open(bindTo: self.clientAddress, bufferBytes: bufferBytes)
                sockets.append(socket)
                try socket.connect(to: self.server)
            }
        } catch {
            sockets.forEach { $0.close() }
            throw error
        }
        return sockets
    }

    /// The requests that make a client ready to exchange data with `peer`.
    func requests(peer: IPv4Endpoint) -> [TURNRequest] {
        switch self.framing {
        case .raw: [.forwarderHello(peer)]
        case .sendIndication: [.allocate, .createPermission(peer)]
        case .channelData: [.allocate, .createPermission(peer), .channelBind(Framing.channel, peer)]
        }
    }

    /// Runs the sessions; throws the commonest failure when any session failed.
    func establish(_ sessions: [ControlSession], what: String) throws(BenchError) -> ControlDriver.Summary {
        let summary = try self.driver.run(sessions, timeoutSeconds: min(110, 20 + Double(sessions.count) / 200))
        if let failure = summary.commonestFailure {
            throw BenchError("setting up \(what): \(summary.failed) of \(sessions.count) failed; most often: \(failure)")
        }
        return summary
    }

    /// Deletes the allocations (Refresh with LIFETIME 0, RFC 8656 Section 8) and closes the sockets.
    ///
    /// - Returns: the summary of the deletions (nil for the forwarder, which has none).
    @discardableResult
    func teardown(_ sessions: [ControlSession]) -> ControlDriver.Summary? {
        defer { sessions.forEach { $0.socket.close() } }
        guard self.framing != .raw else { return nil }
        let established = sessions.filter { $0.relayed != nil && $0.auth != nil }
        established.forEach { $0.queue([.refresh(lifetime: 0)]) }
        return try? self.driver.run(established, timeoutSeconds: min(60, 10 + Double(established.count) / 500))
    }
}
