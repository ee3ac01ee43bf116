import ArgumentParser

/// `alloc`: allocation setup rate. One client with many sockets issues `--count` Allocates
/// back to back, `--in-flight` at a time, each with its 401 round trip; then deletes them.
struct AllocCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "alloc", abstract: "Measure allocations per second, then delete them.")
    @OptionGroup var options: CommonOptions
    @Option(help: "Allocations to create (1...20000; one socket each).")
    var count = 2000

    func validate() throws {
        guard (1...20_000).contains(self.count) else { throw ValidationError("--count must be 1...20000") }
        guard self.options.framing != .raw else { throw ValidationError("alloc needs a TURN server, not --raw") }
    }

    func run() throws {
        try TurnGateBench.emit(json: self.options.json) { () throws(BenchError) in try self.measure() }
    }

    private func measure() throws(BenchError) -> BenchReport {
        let driver = ControlDriver(credentials: self.options.credentials, realm: self.options.realm,
                                   maxInFlight: self.options.inFlight)
        let setup = AllocationSetup(server: try self.options.serverEndpoint(), clientAddress: try self.options.clientEndpoint(),
                                    framing: .channelData, driver: driver)
        let cpuStart = BenchClock.processCPU()
        let sessions = try setup.openClients(self.count).map { ControlSession(socket: $0, requests: [.allocate]) }
        let summary: ControlDriver.Summary
        do {
            summary = try driver.run(sessions, timeoutSeconds: min(110, 10 + Double(self.count) / 200))
        } catch {
            setup.teardown(sessions)
            throw error
        }
        let deletion = setup.teardown(sessions)
        let cpu = Double(BenchClock.processCPU() &- cpuStart) / 1e9
        let control = BenchReport.ControlFigures(
            requested: self.count, succeeded: summary.succeeded, failed: summary.failed, seconds: summary.elapsed,
            perSecond: summary.elapsed > 0 ? Double(summary.succeeded) / summary.elapsed : 0,
            failures: summary.failures, deleted: deletion?.succeeded, deleteSeconds: deletion?.elapsed)
        let elapsed = summary.elapsed + (deletion?.elapsed ?? 0)
        return BenchReport(
            mode: "alloc", server: self.options.server, framing: "control", size: 0, allocations: self.count,
            durationSeconds: summary.elapsed, data: nil, control: control,
            bench: BenchReport.BenchFigures(
                threads: 1, cpuSeconds: cpu, cpuMicrosecondsPerPacket: nil,
                busyPercent: elapsed > 0 ? cpu / elapsed * 100 : 0, laggingIterationsPercent: nil,
                saturated: elapsed > 0 && cpu / elapsed > 0.9,
                notes: ["each allocation: Allocate → 401 → Allocate with MESSAGE-INTEGRITY; \(self.options.inFlight) in flight"]))
    }
}
