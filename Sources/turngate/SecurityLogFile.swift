import Foundation
import Logging
import TURNLogging

/// `security-log-file`: the gateway's security events (logger `turngate.security`, `warning`
/// and up) also go to this file, and nothing else does, one JSON object per line with
/// `timestamp`, `level`, `event`, `user`, `room`, `client` and `detail` (docs/signaling.md,
/// "Security events").
///
/// Lines are written by their own ``LogLineWriter`` thread; at most ``queueCapacity`` wait.
final class SecurityLogFile: Sendable {
    /// How many lines may wait for the writer thread before new ones are dropped.
    static let queueCapacity = 4_096

    private let writer: LogLineWriter<String>

    /// Opens `path` for appending, creating it when absent.
    ///
    /// - Throws: ``LogFileError`` when the file cannot be opened for writing.
    init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw LogFileError(path: path) }
        _ = try? handle.seekToEnd()
        self.writer = LogLineWriter(capacity: Self.queueCapacity) { lines, _ in
            guard !lines.isEmpty else { return }
            try? handle.write(contentsOf: Data(lines.map { $0 + "\n" }.joined().utf8))
        }
    }

    /// The security logger: the process's handler, and this file for `warning` and up.
    func logger() -> Logger {
        let base = Logger(label: "turngate.security")
        let handler = Handler(writer: self.writer)
        return Logger(label: "turngate.security") { _ in MultiplexLogHandler([base.handler, handler]) }
    }

    /// Writes the lines still queued.
    func shutdown() {
        self.writer.shutdown()
    }

    private struct Handler: LogHandler {
        let writer: LogLineWriter<String>
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .warning

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var merged = self.metadata
            merged.merge(event.metadata ?? [:]) { _, new in new }
            let fields: [(String, String?)] = [
                ("timestamp", Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))),
                ("level", event.level.rawValue), ("event", merged["turn.event"].map { "\($0)" }),
                ("user", merged["turn.user"].map { "\($0)" }), ("room", merged["turn.room"].map { "\($0)" }),
                ("client", merged["turn.client"].map { "\($0)" }), ("detail", merged["turn.reason"].map { "\($0)" }),
            ]
            let body = fields.map { key, value in
                "\(LogEscaping.jsonString(key)):\(value.map(LogEscaping.jsonString) ?? "null")"
            }
            self.writer.submit("{" + body.joined(separator: ",") + "}")
        }
    }
}
