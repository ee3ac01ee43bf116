import ArgumentParser

/// `latency`: a moderate total rate; one-way latency percentiles of both legs.
struct LatencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "latency", abstract: "One-way latency percentiles at a fixed total rate.")
    @OptionGroup var options: CommonOptions
    @Option(help: "Relayed datagrams per second over all allocations and both legs.")
    var ppsTotal = 20_000.0

    func validate() throws {
        guard self.ppsTotal > 0, self.ppsTotal <= 10_000_000 else { throw ValidationError("--pps-total must be in (0, 10M]") }
    }

    func run() throws {
        let perFlow = self.ppsTotal / 2 / Double(self.options.allocations)
        try TurnGateBench.emit(json: self.options.json) { () throws(BenchError) in
            try DataRun(mode: "latency", options: self.options, ratePerFlow: perFlow).execute()
        }
    }
}
