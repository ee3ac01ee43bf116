import ArgumentParser
import Foundation

/// How clients frame data: ChannelData, Send/Data indications, or raw (the bench forwarder).
enum FramingFlag: String, EnumerableFlag {
    case channel
    case send
    case raw

    static func help(for value: FramingFlag) -> ArgumentHelp? {
        switch value {
        case .channel: "ChannelData (RFC 8656 Section 12), the default."
        case .send: "Send and Data indications (RFC 8656 Section 11)."
        case .raw: "No TURN: drive a `turngate-bench forwarder` (the kernel floor)."
        }
    }

    /// The framing the data path uses.
    var framing: Framing {
        switch self {
        case .channel: .channelData
        case .send: .sendIndication
        case .raw: .raw
        }
    }
}

/// The options every client mode shares: server, credentials, peer, framing and output.
struct CommonOptions: ParsableArguments {
    @Option(help: "The TURN server (or forwarder), IPv4 address[:port].")
    var server: String

    @Option(help: "Static long-term user name.")
    var user: String?

    @Option(help: "Static long-term password.")
    var password: String?

    @Option(help: "REST shared secret (coturn's static-auth-secret); mints '<expiry>:bench' credentials.")
    var secret: String?

    @Option(help: "Realm for the key; by default the one the server sends in its 401.")
    var realm: String?

    @Option(help: "Address the peer sockets (and the clients) bind on.")
    var peerAddress = "127.0.0.1"

    @Option(help: "Address the TURN clients bind on (default: a random 127.x.y.1 per run).")
    var clientAddress: String?

    @Flag(help: "Allow a non-loopback server or peer address.")
    var allowRemote = false

    @Flag var framing: FramingFlag = .channel

    @Option(help: "Payload bytes per datagram (24...1400).")
    var size = 100

    @Option(help: "Concurrent allocations (flows) in flood, rate and latency modes (1...5000).")
    var allocations = 4

    @Option(help: "Seconds of traffic or holding (at most 120).")
    var duration = 10.0

    @Option(help: "Data-path threads (default: one per core, at most one per allocation).")
    var threads: Int?

    @Flag(name: .customLong("no-gso"), help: "Send with sendmmsg only, never UDP GSO (UDP_SEGMENT).")
    var noGSO = false

    @Option(help: "Control requests in flight at once while setting up.")
    var inFlight = 64

    @Flag(help: "Print the result as JSON on stdout.")
    var json = false

    mutating func validate() throws {
        guard self.duration > 0, self.duration <= 120 else { throw ValidationError("--duration must be in (0, 120]") }
        guard (Payload.minimumSize...1400).contains(self.size) else { throw ValidationError("--size must be 24...1400") }
        guard (1...5000).contains(self.allocations) else { throw ValidationError("--allocations must be 1...5000") }
        guard (1...4096).contains(self.inFlight) else { throw ValidationError("--in-flight must be 1...4096") }
        if let threads = self.threads, !(1...64).contains(threads) { throw ValidationError("--threads must be 1...64") }
        if self.framing != .raw {
            let hasStatic = self.user != nil && self.password != nil
            guard hasStatic != (self.secret != nil) else {
                throw ValidationError("give either --user and --password, or --secret")
            }
        }
        let server = try self.serverEndpoint()
        let peer = try self.peerEndpoint()
        let client = try self.clientEndpoint()
        if !self.allowRemote {
            guard server.isLoopback, peer.isLoopback, client.isLoopback else {
                throw ValidationError("server and peer must be loopback (127.0.0.0/8); pass --allow-remote to override")
            }
        }
    }

    /// The server endpoint (port 3478 when not given).
    func serverEndpoint() throws(BenchError) -> IPv4Endpoint {
        try IPv4Endpoint(parsing: self.server, defaultPort: 3478)
    }

    /// The peer bind address (port 0: any).
    func peerEndpoint() throws(BenchError) -> IPv4Endpoint {
        try IPv4Endpoint(parsing: self.peerAddress, defaultPort: 0)
    }

    /// The client bind address (port 0: any); call once per run.
    ///
    /// Without `--client-address` it is a random 127.x.y.1, so a run never reuses a 5-tuple of
    /// an earlier run that a server may still remember (coturn answers 437 for a while after
    /// an allocation on the same 5-tuple was deleted).
    func clientEndpoint() throws(BenchError) -> IPv4Endpoint {
        if let clientAddress { return try IPv4Endpoint(parsing: clientAddress, defaultPort: 0) }
        let address = UInt32(127) << 24 | UInt32.random(in: 64...254) << 16 | UInt32.random(in: 0...255) << 8 | 1
        return IPv4Endpoint(address: address, port: 0)
    }

    /// The credentials to authenticate with (ignored for the raw forwarder).
    var credentials: Credentials {
        if let secret { return Credentials(secret: secret, user: "bench") }
        return Credentials(username: self.user ?? "", password: self.password ?? "")
    }

    /// The data-path thread count for `flows` flows.
    func threadCount(flows: Int) -> Int {
        min(self.threads ?? ProcessInfo.processInfo.activeProcessorCount, flows)
    }
}
