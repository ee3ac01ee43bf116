import ArgumentParser
import Foundation

/// `turngate-bench`: a load generator for any TURN server over UDP, holding both the clients
/// and the peers so one clock times both legs.
@main
struct TurnGateBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "turngate-bench",
        abstract: "Drive a TURN server over UDP on loopback and measure it.",
        subcommands: [FloodCommand.self, RateCommand.self, LatencyCommand.self, AllocCommand.self,
                      HoldCommand.self, ForwarderCommand.self])

    /// Prints `report` (JSON on stdout with `--json`, else the table), or the error and exits 1.
    static func emit(json: Bool, _ body: () throws(BenchError) -> BenchReport) throws {
        do {
            let report = try body()
            print(json ? report.jsonText() : report.humanText())
        } catch {
            FileHandle.standardError.write(Data("turngate-bench: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
