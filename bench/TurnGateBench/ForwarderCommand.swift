import ArgumentParser
import Foundation

/// `forwarder`: the floor. A plain UDP relay with no TURN, so the compare script can show what
/// the kernel alone costs per relayed datagram.
struct ForwarderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "forwarder", abstract: "Run a minimal recvmmsg/sendmmsg UDP relay (the floor).")
    @Option(help: "Address and port to listen on.")
    var listen = "127.0.0.4:3478"
    @Option(help: "The only peer address the forwarder relays to (as a TURN server's peer policy would).")
    var to = "127.0.0.1"
    @Option(help: "Seconds to run before exiting (at most 3600).")
    var duration = 600.0
    @Option(help: "Most relay sockets (flows).")
    var maxFlows = 20_000
    @Flag(help: "Allow non-loopback addresses.")
    var allowRemote = false

    func validate() throws {
        guard self.duration > 0, self.duration <= 3600 else { throw ValidationError("--duration must be in (0, 3600]") }
        guard (1...100_000).contains(self.maxFlows) else { throw ValidationError("--max-flows must be 1...100000") }
    }

    func run() throws {
        do {
            let listen = try IPv4Endpoint(parsing: self.listen, defaultPort: 3478)
            let target = try IPv4Endpoint(parsing: self.to, defaultPort: 0)
            guard self.allowRemote || (listen.isLoopback && target.isLoopback) else {
                throw BenchError("--listen and --to must be loopback; pass --allow-remote to override")
            }
            let forwarder = try Forwarder(listen: listen, allowedTarget: target.address, maxFlows: self.maxFlows)
            FileHandle.standardError.write(Data("forwarder: listening on \(listen), relaying to \(self.to)\n".utf8))
            try forwarder.run(seconds: self.duration)
        } catch let error as BenchError {
            FileHandle.standardError.write(Data("turngate-bench: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
