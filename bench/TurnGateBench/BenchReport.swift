import Histogram

/// The result of one run, as JSON (`--json`) or as a human table.
struct BenchReport: Codable, Sendable {
    /// Latency percentiles of one leg, in microseconds.
    struct Percentiles: Codable, Sendable {
        var p50: Double
        var p90: Double
        var p99: Double
        var p999: Double
        var max: Double

        /// Reads the percentiles from a histogram of nanoseconds; nil when it is empty.
        init?(_ histogram: Histogram<UInt64>) {
            guard histogram.totalCount > 0 else { return nil }
            func micros(_ percentile: Double) -> Double { Double(histogram.valueAtPercentile(percentile)) / 1000 }
            self.p50 = micros(50)
            self.p90 = micros(90)
            self.p99 = micros(99)
            self.p999 = micros(99.9)
            self.max = Double(histogram.max) / 1000
        }
    }

    /// One leg of the data path.
    struct Leg: Codable, Sendable {
        var sent: Int
        var received: Int
        var refusedBySendBuffer: Int
        var foreign: Int
        var lossPercent: Double
        var sentPerSecond: Double
        var receivedPerSecond: Double
        var latencyMicroseconds: Percentiles?

        init(_ stats: LegStats, seconds: Double) {
            self.sent = stats.sent
            self.received = stats.received
            self.refusedBySendBuffer = stats.refused
            self.foreign = stats.foreign
            self.lossPercent = stats.sent > 0 ? max(0, Double(stats.sent - stats.received)) / Double(stats.sent) * 100 : 0
            self.sentPerSecond = Double(stats.sent) / seconds
            self.receivedPerSecond = Double(stats.received) / seconds
            self.latencyMicroseconds = Percentiles(stats.latency)
        }
    }

    /// Data-path figures (flood, rate, latency).
    struct DataFigures: Codable, Sendable {
        var clientToPeer: Leg
        var peerToClient: Leg
        /// Datagrams the server relayed per second, both legs together.
        var relayedPerSecond: Double
        /// Loss over both legs.
        var lossPercent: Double
        /// The requested rate over both legs, when paced.
        var requestedPerSecond: Double?
        /// Seconds spent setting up the allocations.
        var setupSeconds: Double
    }

    /// Control-plane figures (alloc, hold).
    struct ControlFigures: Codable, Sendable {
        var requested: Int
        var succeeded: Int
        var failed: Int
        var seconds: Double
        var perSecond: Double
        var failures: [String: Int]
        var deleted: Int?
        var deleteSeconds: Double?
        var trickleSent: Int?
        var trickleReceived: Int?
        /// Periodic Refreshes of held allocations that succeeded, and that failed.
        var refreshed: Int?
        var refreshFailed: Int?
    }

    /// The bench's own load, and whether it limited the measurement.
    struct BenchFigures: Codable, Sendable {
        var threads: Int
        var cpuSeconds: Double
        var cpuMicrosecondsPerPacket: Double?
        var busyPercent: Double
        var laggingIterationsPercent: Double?
        var saturated: Bool
        var notes: [String]
    }

    var mode: String
    var server: String
    var framing: String
    var size: Int
    var allocations: Int
    var durationSeconds: Double
    var data: DataFigures?
    var control: ControlFigures?
    var bench: BenchFigures
}

extension BenchReport {
    /// Builds the report of a data mode and judges whether the bench was the bottleneck.
    ///
    /// Paced modes: saturated when fewer than 98% of the requested datagrams went out (the
    /// share of iterations in which a flow was a whole batch behind is reported beside it). Flood: saturated when the
    /// workers were busy over 90% of the time yet the server lost under 1%, which means the
    /// server kept up with all the bench could offer.
    ///
    /// - Parameters:
    ///   - requestedPerLeg: the datagrams the pace asked for on each leg over the whole run, or nil for flood.
    ///   - processCPUNanoseconds: the whole bench's CPU time while the workers ran.
    static func data(mode: String, options: CommonOptions, threads: Int, result: DataPathWorker.Result,
                     requestedPerLeg: Double?, processCPUNanoseconds: UInt64, setupSeconds: Double) -> BenchReport {
        let seconds = options.duration
        let c2p = Leg(result.clientToPeer, seconds: seconds)
        let p2c = Leg(result.peerToClient, seconds: seconds)
        let sent = c2p.sent + p2c.sent
        let received = c2p.received + p2c.received
        let loss = sent > 0 ? max(0, Double(sent - received)) / Double(sent) * 100 : 0
        let busy = Double(result.cpuNanoseconds) / 1e9 / (seconds + DataRun.drainSeconds) / Double(threads) * 100
        let lagging = result.iterations > 0 ? Double(result.laggingIterations) / Double(result.iterations) * 100 : 0
        var notes: [String] = []
        var saturated = false
        if let requestedPerLeg {
            let requested = requestedPerLeg * 2
            if Double(sent + c2p.refusedBySendBuffer + p2c.refusedBySendBuffer) < 0.98 * requested {
                saturated = true
                notes.append(String(format: "bench could not hold the requested rate: sent %.0f of %.0f", Double(sent), requested))
            }
        } else if busy > 90, loss < 1 {
            saturated = true
            notes.append("bench-bound: the server relayed almost all the bench could send; its capacity is higher")
        }
        if c2p.refusedBySendBuffer + p2c.refusedBySendBuffer > 0 {
            notes.append("the kernel refused \(c2p.refusedBySendBuffer + p2c.refusedBySendBuffer) sends (send buffer full)")
        }
        let figures = DataFigures(
            clientToPeer: c2p, peerToClient: p2c, relayedPerSecond: Double(received) / seconds, lossPercent: loss,
            requestedPerSecond: requestedPerLeg.map { $0 * 2 / seconds }, setupSeconds: setupSeconds)
        return BenchReport(
            mode: mode, server: options.server, framing: options.framing.framing.rawValue, size: options.size,
            allocations: options.allocations, durationSeconds: seconds, data: figures, control: nil,
            bench: BenchFigures(
                threads: threads, cpuSeconds: Double(processCPUNanoseconds) / 1e9,
                cpuMicrosecondsPerPacket: sent + received > 0 ? Double(processCPUNanoseconds) / 1000 / Double(sent + received) : nil,
                busyPercent: busy, laggingIterationsPercent: lagging, saturated: saturated, notes: notes))
    }
}
