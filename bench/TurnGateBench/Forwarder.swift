/// A minimal UDP relay: per client, one relay socket connected to the client's target.
///
/// Per datagram it does what a TURN server's data path must do at the least: `recvmmsg` on one
/// socket, a table lookup, `sendmmsg` on another. Flows are opened by ``ForwarderHello``.
/// Single-threaded; pin it to a core to compare with a server pinned the same way.
final class Forwarder {
    private let listener: UDPSocket
    private let listenAddress: IPv4Endpoint
    private let allowedTarget: UInt32
    private let maxFlows: Int
    private let poller: Poller
    private var relays: [UDPSocket] = []
    private var clients: [IPv4Endpoint] = []
    private var relayByClient: [UInt64: Int] = [:]
    private let inbound = DatagramBatch(capacity: 64)
    private let outbound = DatagramBatch(capacity: 64)

    /// Binds the listener.
    init(listen: IPv4Endpoint, allowedTarget: UInt32, maxFlows: Int) throws(BenchError) {
        self.listener = try UDPSocket.open(bindTo: listen, bufferBytes: AllocationSetup.dataBufferBytes)
        self.listenAddress = listen
        self.allowedTarget = allowedTarget
        self.maxFlows = maxFlows
        self.poller = try Poller(capacity: 256)
        try self.poller.add(self.listener.fd, tag: 0)
    }

    deinit {
        self.listener.close()
        self.relays.forEach { $0.close() }
    }

    /// Relays until `seconds` have passed.
    func run(seconds: Double) throws(BenchError) {
        let end = BenchClock.now() &+ UInt64(seconds * 1e9)
        while BenchClock.now() < end {
            var failure: BenchError?
            self.poller.wait(timeoutMilliseconds: 100) { tag in
                do throws(BenchError) {
                    if tag == 0 { try self.fromClients() } else { self.fromPeers(relay: Int(tag) - 1) }
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
        }
    }

    /// Client datagrams: forward on the client's relay socket, or open one for a hello.
    private func fromClients() throws(BenchError) {
        for _ in 0..<8 {
            let count = self.inbound.receive(on: self.listener.fd, withAddresses: true)
            var run = -1
            for index in 0..<count {
                let sender = self.inbound.sender(index)
                guard let relay = self.relayByClient[sender.key] else {
                    try self.open(for: sender, hello: self.inbound.datagram(index))
                    continue
                }
                if relay != run {
                    if run >= 0 { self.outbound.flush(on: self.relays[run].fd) }
                    run = relay
                }
                self.outbound.append(self.inbound.datagram(index))
            }
            if run >= 0 { self.outbound.flush(on: self.relays[run].fd) }
            if count < self.inbound.capacity { break }
        }
    }

    /// Peer datagrams on one relay socket: send them to its client from the listener.
    private func fromPeers(relay: Int) {
        let client = self.clients[relay]
        for _ in 0..<8 {
            let count = self.inbound.receive(on: self.relays[relay].fd)
            for index in 0..<count {
                self.outbound.append(self.inbound.datagram(index), to: client)
            }
            self.outbound.flush(on: self.listener.fd)
            if count < self.inbound.capacity { break }
        }
    }

    private func open(for client: IPv4Endpoint, hello: UnsafeRawBufferPointer) throws(BenchError) {
        guard let target = ForwarderHello.parse(hello), target.address == self.allowedTarget,
            self.relays.count < self.maxFlows
        else { return }
        let relay = try UDPSocket.open(bindTo: IPv4Endpoint(address: self.listenAddress.address, port: 0),
                                       bufferBytes: AllocationSetup.dataBufferBytes)
        try relay.connect(to: target)
        try self.poller.add(relay.fd, tag: UInt64(self.relays.count + 1))
        self.relayByClient[client.key] = self.relays.count
        self.relays.append(relay)
        self.clients.append(client)
        self.listener.send(ForwarderHello.response(relay: try relay.localEndpoint()), to: client)
    }
}
