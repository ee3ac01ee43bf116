import Foundation

extension BenchReport {
    /// The report as pretty, key-sorted JSON.
    func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The report as a short human-readable table.
    func humanText() -> String {
        var lines = ["turngate-bench \(self.mode) → \(self.server)  framing=\(self.framing) size=\(self.size) "
            + "allocations=\(self.allocations) duration=\(Self.number(self.durationSeconds))s"]
        if let data {
            let header = ["leg", "sent/s", "received/s", "loss %", "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "max µs"]
            lines.append(Self.row(header))
            for (name, leg) in [("client→peer", data.clientToPeer), ("peer→client", data.peerToClient)] {
                let latency = leg.latencyMicroseconds
                lines.append(Self.row([
                    name, String(format: "%.0f", leg.sentPerSecond), String(format: "%.0f", leg.receivedPerSecond),
                    String(format: "%.3f", leg.lossPercent), Self.number(latency?.p50), Self.number(latency?.p90),
                    Self.number(latency?.p99), Self.number(latency?.p999), Self.number(latency?.max),
                ]))
            }
            var total = String(format: "  relayed %.0f packets/s, loss %.3f%%", data.relayedPerSecond, data.lossPercent)
            if let requested = data.requestedPerSecond { total += String(format: " (requested %.0f/s)", requested) }
            lines.append(total + String(format: ", setup %.1f ms", data.setupSeconds * 1000))
        }
        if let control {
            lines.append(String(format: "  %d of %d succeeded in %.3f s: %.0f/s", control.succeeded, control.requested,
                                control.seconds, control.perSecond))
            if let deleted = control.deleted, let seconds = control.deleteSeconds {
                lines.append(String(format: "  deleted %d in %.3f s", deleted, seconds))
            }
            if let sent = control.trickleSent, let received = control.trickleReceived {
                lines.append("  trickle: sent \(sent), received \(received)")
            }
            if let refreshed = control.refreshed, let refreshFailed = control.refreshFailed {
                lines.append("  periodic refreshes: \(refreshed) succeeded, \(refreshFailed) failed")
            }
            for (failure, count) in control.failures.sorted(by: { $0.value > $1.value }) {
                lines.append("  failed ×\(count): \(failure)")
            }
        }
        var benchLine = String(format: "  bench: %d threads, cpu %.2f s, busy %.0f%%", self.bench.threads,
                               self.bench.cpuSeconds, self.bench.busyPercent)
        if let perPacket = self.bench.cpuMicrosecondsPerPacket { benchLine += String(format: ", %.2f µs/packet", perPacket) }
        benchLine += self.bench.saturated ? ", SATURATED" : ", not saturated"
        lines.append(benchLine)
        lines.append(contentsOf: self.bench.notes.map { "  note: \($0)" })
        return lines.joined(separator: "\n")
    }

    /// One table row: the first cell left-aligned in 12 columns, the rest right-aligned in 11.
    private static func row(_ cells: [String]) -> String {
        var line = "  "
        for (index, cell) in cells.enumerated() {
            let width = index == 0 ? 12 : 11
            let pad = String(repeating: " ", count: max(0, width - cell.count))
            line += index == 0 ? cell + pad : pad + cell
        }
        return line
    }

    private static func number(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value >= 100 ? String(format: "%.0f", value) : String(format: "%.1f", value)
    }
}
