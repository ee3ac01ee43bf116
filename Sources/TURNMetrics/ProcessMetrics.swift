public import CoreMetrics
import Foundation
import Synchronization

/// The process's own resources, read from `/proc/self` each time ``update()`` is called (the
/// metrics endpoint calls it before every scrape), under the names Prometheus client libraries
/// use: `process_resident_memory_bytes`, `process_virtual_memory_bytes`, `process_open_fds`,
/// `process_max_fds`, `process_cpu_seconds_total` and `process_start_time_seconds`.
///
/// Where `/proc` is missing (not Linux), the values stay at zero.
public final class ProcessMetrics: Sendable {
    private let residentMemory: Gauge
    private let virtualMemory: Gauge
    private let openFileDescriptors: Gauge
    private let maximumFileDescriptors: Gauge
    private let cpuSeconds: FloatingPointCounter
    private let startTime: Gauge
    private let reportedCPUSeconds = Mutex(0.0)

    /// Creates the metrics with `factory` and records the start time.
    public init(factory: any MetricsFactory) {
        self.residentMemory = Gauge(label: "process_resident_memory_bytes", factory: factory)
        self.virtualMemory = Gauge(label: "process_virtual_memory_bytes", factory: factory)
        self.openFileDescriptors = Gauge(label: "process_open_fds", factory: factory)
        self.maximumFileDescriptors = Gauge(label: "process_max_fds", factory: factory)
        self.cpuSeconds = FloatingPointCounter(label: "process_cpu_seconds_total", factory: factory)
        self.startTime = Gauge(label: "process_start_time_seconds", factory: factory)
        self.startTime.record(Self.startSeconds() ?? Date().timeIntervalSince1970)
        self.update()
    }

    /// Reads the current values.
    public func update() {
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let statm = Self.read("/proc/self/statm")?.split(separator: " "), statm.count >= 2,
            let pages = Double(statm[0]), let resident = Double(statm[1])
        {
            self.virtualMemory.record(pages * pageSize)
            self.residentMemory.record(resident * pageSize)
        }
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            self.openFileDescriptors.record(entries.count)
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            self.maximumFileDescriptors.record(Double(limit.rlim_cur))
        }
        if let fields = Self.statFields(), fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) {
            let total = (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
            let delta = self.reportedCPUSeconds.withLock { reported -> Double in
                let delta = max(0, total - reported)
                reported = max(reported, total)
                return delta
            }
            if delta > 0 { self.cpuSeconds.increment(by: delta) }
        }
    }

    /// The fields of `/proc/self/stat` after the command name (field 3 onwards).
    private static func statFields() -> [Substring]? {
        guard let stat = Self.read("/proc/self/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ")
    }

    /// The process start as a UNIX time: boot time plus the start tick of `/proc/self/stat`.
    private static func startSeconds() -> Double? {
        guard let fields = Self.statFields(), fields.count > 19, let ticks = Double(fields[19]),
            let line = Self.read("/proc/stat")?.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
            let boot = Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
        else { return nil }
        return boot + ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    private static func read(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }
}
