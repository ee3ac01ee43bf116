import ArgumentParser

/// `flood`: every flow sends as fast as it can on both legs for `--duration`.
struct FloodCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "flood", abstract: "Send as fast as possible; report rates and loss.")
    @OptionGroup var options: CommonOptions

    func run() throws {
        try TurnGateBench.emit(json: self.options.json) { () throws(BenchError) in
            try DataRun(mode: "flood", options: self.options, ratePerFlow: nil).execute()
        }
    }
}
