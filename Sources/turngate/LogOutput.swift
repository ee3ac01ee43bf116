import Foundation
import Logging
import TURNConfig
import TURNLogging

/// Where log lines go: standard output, a log file, the system log, or several (`log-file`,
/// `no-stdout-log`, `syslog`).
///
/// Lines are written by a ``LogLineWriter`` thread, never by the thread that logs: an event
/// loop never waits for a slow file, pipe or system log. At most ``queueCapacity`` lines
/// wait; beyond that lines are dropped, and a `warning` line says how many. ``shutdown()``
/// writes what is left (`serve` calls it on the way out).
final class LogOutput: Sendable {
    /// How many lines may wait for the writer thread before new ones are dropped.
    static let queueCapacity = 16_384

    private let writer: LogLineWriter<QueuedLine>

    private struct QueuedLine: Sendable {
        var text: String
        var level: Logger.Level
    }

    init(configuration: TURNServerConfiguration, format: LineLogHandler.Format) throws {
        var handles: [FileHandle] = []
        if configuration.stdoutLog {
            handles.append(.standardOutput)
        }
        if let path = configuration.logFile {
            if !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: nil)
            }
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw LogFileError(path: path)
            }
            _ = try? handle.seekToEnd()
            handles.append(handle)
        }
        let syslog = configuration.syslog
        if syslog {
            openlog("turngate", LOG_PID | LOG_NDELAY, LOG_DAEMON)
        }
        let destinations = handles
        self.writer = LogLineWriter(capacity: Self.queueCapacity) { lines, dropped in
            var batch = lines
            if dropped > 0 {
                let report = LineLogHandler.line(
                    time: Date(), level: .warning, label: "turngate", message: "log lines dropped",
                    metadata: ["turn.dropped": "\(dropped)"], format: format)
                batch.append(QueuedLine(text: report, level: .warning))
            }
            Self.write(batch, to: destinations, syslog: syslog)
        }
    }

    /// Queues one line (a newline is added) for every destination; `level` sets the system
    /// log's priority. Returns at once; the line is dropped when the queue is full.
    func write(_ line: String, level: Logger.Level) {
        self.writer.submit(QueuedLine(text: line, level: level))
    }

    /// Writes the lines still queued and stops the writer thread; later lines are written at once.
    func shutdown() {
        self.writer.shutdown()
    }

    /// One `write(2)` per file for the whole batch, one system log call per line.
    private static func write(_ lines: [QueuedLine], to handles: [FileHandle], syslog: Bool) {
        guard !lines.isEmpty else { return }
        if !handles.isEmpty {
            var data = Data()
            for line in lines {
                data.append(contentsOf: line.text.utf8)
                data.append(UInt8(ascii: "\n"))
            }
            for handle in handles {
                try? handle.write(contentsOf: data)
            }
        }
        if syslog {
            for line in lines {
                withVaList([line.text]) { vsyslog(Self.priority(line.level), "%s", $0) }
            }
        }
    }

    private static func priority(_ level: Logger.Level) -> Int32 {
        switch level {
        case .trace, .debug: LOG_DEBUG
        case .info: LOG_INFO
        case .notice: LOG_NOTICE
        case .warning: LOG_WARNING
        case .error: LOG_ERR
        case .critical: LOG_CRIT
        }
    }
}

/// The log file could not be opened for writing.
struct LogFileError: Error, CustomStringConvertible {
    let path: String
    var description: String { "cannot open log file \(self.path) for writing" }
}
