import Foundation
import Logging
import Synchronization
import TURNConfig

/// Where log lines go: standard output, a log file, the system log, or several (`log-file`,
/// `no-stdout-log`, `syslog`).
final class LogOutput: Sendable {
    private let handles: Mutex<[FileHandle]>
    private let syslog: Bool

    init(configuration: TURNServerConfiguration) throws {
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
        self.handles = Mutex(handles)
        self.syslog = configuration.syslog
        if self.syslog {
            openlog("turngate", LOG_PID | LOG_NDELAY, LOG_DAEMON)
        }
    }

    /// Writes one line (a newline is added) to every destination; `level` sets the system
    /// log's priority.
    func write(_ line: String, level: Logger.Level) {
        let data = Data((line + "\n").utf8)
        self.handles.withLock { handles in
            for handle in handles {
                try? handle.write(contentsOf: data)
            }
        }
        if self.syslog {
            withVaList([line]) { vsyslog(Self.priority(level), "%s", $0) }
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
