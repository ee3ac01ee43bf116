import ArgumentParser
import Foundation

/// `hold`: `--count` allocations, each with a permission and channel to one shared peer socket,
/// kept for `--duration` with a trickle of one datagram per allocation every few seconds.
///
/// When all are set up it prints `hold: established N of M` on stderr and writes N to
/// `--ready-file`, so a script can read the server's RSS while they are held.
///
/// For soak runs, `--hold-seconds` holds longer than `--duration` allows, and
/// `--refresh-interval` refreshes every held allocation (RFC 8656 Section 7) that often, so
/// none expires; an allocation the server lost fails its next Refresh (437) and is counted.
struct HoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hold", abstract: "Hold many allocations open (for memory per allocation).")
    @OptionGroup var options: CommonOptions
    @Option(help: "Allocations to hold (1...20000; one socket each).")
    var count = 1000
    @Option(help: "File to write the established count to once setup is over.")
    var readyFile: String?
    @Option(help: "Seconds between two trickle datagrams of one allocation.")
    var trickleInterval = 5.0
    @Option(help: "Seconds to hold, instead of --duration (up to 86400, for soak runs).")
    var holdSeconds: Double?
    @Option(help: "Seconds between two Refreshes of every held allocation (0: never; 1...300).")
    var refreshInterval = 0.0

    /// The LIFETIME each periodic Refresh asks for: twice the longest refresh interval.
    static let refreshLifetime: UInt32 = 600

    func validate() throws {
        guard (1...20_000).contains(self.count) else { throw ValidationError("--count must be 1...20000") }
        guard self.trickleInterval >= 0.1, self.trickleInterval <= 60 else { throw ValidationError("--trickle-interval must be 0.1...60") }
        if let holdSeconds = self.holdSeconds, !(holdSeconds > 0 && holdSeconds <= 86_400) {
            throw ValidationError("--hold-seconds must be in (0, 86400]")
        }
        guard self.refreshInterval == 0 || (1...300).contains(self.refreshInterval) else {
            throw ValidationError("--refresh-interval must be 0 or 1...300")
        }
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
        let holding = try self.holdAndRefresh(established, trickle: trickle, driver: driver)
        return BenchReport(
            mode: "hold", server: self.options.server, framing: framing.rawValue, size: self.options.size,
            allocations: self.count, durationSeconds: self.holdSeconds ?? self.options.duration, data: nil,
            control: BenchReport.ControlFigures(
                requested: self.count, succeeded: summary.succeeded, failed: summary.failed, seconds: summary.elapsed,
                perSecond: summary.elapsed > 0 ? Double(summary.succeeded) / summary.elapsed : 0,
                failures: summary.failures.merging(holding.refreshFailures, uniquingKeysWith: +), deleted: nil,
                deleteSeconds: nil, trickleSent: holding.sent, trickleReceived: holding.received,
                refreshed: self.refreshInterval > 0 ? holding.refreshed : nil,
                refreshFailed: self.refreshInterval > 0 ? holding.refreshFailed : nil),
            bench: BenchReport.BenchFigures(threads: 1, cpuSeconds: Double(BenchClock.processCPU()) / 1e9,
                                            cpuMicrosecondsPerPacket: nil, busyPercent: 0, laggingIterationsPercent: nil,
                                            saturated: false, notes: []))
    }

    /// What the holding phase counted.
    private struct Holding {
        var sent = 0
        var received = 0
        var refreshed = 0
        var refreshFailed = 0
        var refreshFailures: [String: Int] = [:]
    }

    /// Trickles for the hold time; with `--refresh-interval`, stops that often to refresh every
    /// established allocation, and prints one progress line per round on stderr.
    private func holdAndRefresh(_ established: [ControlSession], trickle: Trickle,
                                driver: ControlDriver) throws(BenchError) -> Holding {
        let seconds = self.holdSeconds ?? self.options.duration
        let start = BenchClock.now()
        var holding = Holding()
        while true {
            let elapsed = BenchClock.seconds(from: start, to: BenchClock.now())
            guard elapsed < seconds else { break }
            let segment = self.refreshInterval > 0 ? min(self.refreshInterval, seconds - elapsed) : seconds - elapsed
            let (sent, received) = trickle.run(seconds: segment)
            holding.sent += sent
            holding.received += received
            guard self.refreshInterval > 0,
                BenchClock.seconds(from: start, to: BenchClock.now()) < seconds
            else { continue }
            established.forEach { $0.queue([.refresh(lifetime: Self.refreshLifetime)]) }
            let round = try driver.run(established, timeoutSeconds: min(110, 10 + Double(established.count) / 200))
            holding.refreshed += round.succeeded
            holding.refreshFailed += round.failed
            holding.refreshFailures.merge(round.failures, uniquingKeysWith: +)
            let at = BenchClock.seconds(from: start, to: BenchClock.now())
            FileHandle.standardError.write(Data(String(
                format: "hold: at %.0f s: trickle sent %d received %d; refreshed %d of %d\n",
                at, holding.sent, holding.received, round.succeeded, established.count).utf8))
        }
        return holding
    }
}
