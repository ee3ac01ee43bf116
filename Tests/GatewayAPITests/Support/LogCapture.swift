import Logging
import Synchronization

/// A log handler that keeps every line, message and metadata, as text.
final class LogCapture: Sendable {
    private let lines = Mutex([String]())

    var text: [String] { self.lines.withLock { $0 } }

    func append(_ line: String) { self.lines.withLock { $0.append(line) } }

    func logger(label: String) -> Logger {
        var logger = Logger(label: label) { label in Handler(label: label, capture: self) }
        logger.logLevel = .trace
        return logger
    }

    /// Lines whose metadata `event` is `event`.
    func events(_ event: String) -> [String] { self.text.filter { $0.contains("event=\(event) ") } }

    struct Handler: LogHandler {
        let label: String
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
            let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            self.capture.append("\(self.label) \(event.level) \(event.message) \(fields) \(event.source) \(event.file)")
        }
    }
}
