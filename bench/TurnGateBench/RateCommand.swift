import ArgumentParser

/// `rate`: a fixed, paced rate per allocation on each leg; reports loss.
struct RateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rate", abstract: "Send at a fixed rate per allocation; report loss.")
    @OptionGroup var options: CommonOptions
    @Option(help: "Datagrams per second per allocation on each leg (client→peer and peer→client).")
    var pps: Double

    func validate() throws {
        guard self.pps > 0, self.pps <= 10_000_000 else { throw ValidationError("--pps must be in (0, 10M]") }
    }

    func run() throws {
        try TurnGateBench.emit(json: self.options.json) { () throws(BenchError) in
            try DataRun(mode: "rate", options: self.options, ratePerFlow: self.pps).execute()
        }
    }
}
