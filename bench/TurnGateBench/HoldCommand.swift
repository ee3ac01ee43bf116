import ArgumentParser
import Foundation

/// `hold`: `--count` allocations, each with a permission and channel to one shared peer socket,
/// kept for `--duration` with a trickle of one datagram per allocation every few seconds.
///
/// When all are set up it prints `hold: established N of M` on stderr and writes N to
/// `--ready-file`, so a script can read the server's RSS while they are held.
struct HoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hold", abstract: "Hold many allocations open (for memory per allocation).")
    @OptionGroup var options: CommonOptions
    @Option(help: "Allocations to hold (1...20000; one socket each).")
    var count = 1000
    @Option(help: "File to write the established count to once setup is over.")
    var readyFile: String?
    @Option(help: "Seconds between two trickle datagrams of one allocation.")
    var trickleInterval = 5.0

    func validate() throws {
        guard (1...20_000).contains(self.count) else { throw ValidationError("--count must be 1...20000") }
        guard self.trickleInterval >= 0.1, self.trickleInterval <= 60 else { throw ValidationError("--trickle-interval must be 0.1...60") }
    }

    func run() throws {
        try TurnGateBench.emit(json: self.options.json) { () throws(BenchError) in try self.hold() }
    }

    private func hold() throws(BenchError) -> BenchReport {
        let framing = self.options.framing.framing
        let driver = ControlDriver(credentials: self.options.credentials, realm: self.options.realm,
                                   maxInFlight: self.options.inFlight)
        let setup = AllocationSetup(server: try self.options.serverEndpoint(), clientAddress: try self.options.clientEndpoint(),
                                    framing: framing, driver: driver)
        let peer = try UDPSocket.open(bindTo: try self.options.peerEndpoint(), bufferBytes: AllocationSetup.dataBufferBytes)
        defer { peer.close() }
        let peerEndpoint = try peer.localEndpoint()
        let sessions = try setup.openClients(self.count).map {
            ControlSession(socket: $0, requests: setup.requests(peer: peerEndpoint))
        }
        defer { setup.teardown(sessions) }
        let summary = try driver.run(sessions, timeoutSeconds: min(110, 10 + Double(self.count) / 200)) { finished in
            FileHandle.standardError.write(Data("hold: \(finished) of \(self.count) set up\n".utf8))
        }
        let established = sessions.filter { $0.state == .done }
        var message = "hold: established \(established.count) of \(self.count)"
        if let failure = summary.commonestFailure { message += "; most common failure: \(failure)" }
        FileHandle.standardError.write(Data((message + "\n").utf8))
        if let readyFile, !FileManager.default.createFile(atPath: readyFile, contents: Data("\(established.count)\n".utf8)) {
            throw BenchError("cannot write --ready-file \(readyFile)")
        }
        let template = framing.clientTemplate(size: self.options.size, peer: peerEndpoint).bytes
        let trickle = Trickle(clients: established.map(\.socket), peer: peer, template: template,
                              interval: self.trickleInterval)
        let (sent, received) = trickle.run(seconds: self.options.duration)
        return BenchReport(
            mode: "hold", server: self.options.server, framing: framing.rawValue, size: self.options.size,
            allocations: self.count, durationSeconds: self.options.duration, data: nil,
            control: BenchReport.ControlFigures(
                requested: self.count, succeeded: summary.succeeded, failed: summary.failed, seconds: summary.elapsed,
                perSecond: summary.elapsed > 0 ? Double(summary.succeeded) / summary.elapsed : 0,
                failures: summary.failures, deleted: nil, deleteSeconds: nil, trickleSent: sent, trickleReceived: received),
            bench: BenchReport.BenchFigures(threads: 1, cpuSeconds: Double(BenchClock.processCPU()) / 1e9,
                                            cpuMicrosecondsPerPacket: nil, busyPercent: 0, laggingIterationsPercent: nil,
                                            saturated: false, notes: []))
    }
}
