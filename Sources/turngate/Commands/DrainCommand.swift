import ArgumentParser
import Foundation

/// `turngate drain`: tells a running node to drain (SIGUSR1), for a Kubernetes preStop hook or
/// a deploy script where no shell or `kill` is at hand.
struct DrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain",
        abstract: "Tell a running TurnGate to drain: refuse new allocations, exit once the last ones end.",
        discussion: """
            Sends SIGUSR1 to the node named by --pid or --pid-file (the file `pidfile` \
            writes). The node stops taking allocations and exits 0 once it holds at most \
            drain-min-allocations of them, or after drain-timeout seconds; /readyz answers 503 \
            meanwhile. In a container the node is usually process 1: `turngate drain --pid 1`.

            The process must be a turngate (its /proc/<pid>/comm), so a stale pid file cannot \
            signal another program, for which SIGUSR1 would be fatal.

            Exit status: 0 when the signal was delivered, 1 when it could not be (no such \
            process, not a turngate, not permitted, unreadable pid file), 64 for bad arguments.
            """
    )

    @Option(help: "The node's process ID.")
    var pid: Int32?

    @Option(help: "A file holding the node's process ID (its pidfile).")
    var pidFile: String?

    func validate() throws {
        guard (self.pid == nil) != (self.pidFile == nil) else {
            throw ValidationError("give exactly one of --pid and --pid-file")
        }
        if let pid, pid <= 0 { throw ValidationError("--pid must be a positive process ID") }
    }

    func run() throws {
        let target = try self.pid ?? Self.readPID(self.pidFile ?? "")
        let name = (try? String(contentsOfFile: "/proc/\(target)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let name, name.hasPrefix("turngate") else {
            printError("turngate drain: process \(target) is \(name.map { "'\($0)', not turngate" } ?? "not running"): not signalled")
            throw ExitCode(1)
        }
        guard kill(target, SIGUSR1) == 0 else {
            printError("turngate drain: cannot signal process \(target): \(String(cString: strerror(errno)))")
            throw ExitCode(1)
        }
        print("turngate drain: process \(target) is draining")
    }

    private static func readPID(_ path: String) throws -> Int32 {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0
        else {
            printError("turngate drain: \(path) does not hold a process ID")
            throw ExitCode(1)
        }
        return pid
    }
}
