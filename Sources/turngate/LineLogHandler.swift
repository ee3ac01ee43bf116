import Foundation
import Logging
import TURNLogging

/// A swift-log handler that writes one line per event, as text or as a JSON object.
///
/// Text: `2026-01-01T12:00:00.000Z info turngate: listening turn.transport=udp`.
/// JSON: `{"time":"…","level":"info","label":"turngate","message":"listening","turn.transport":"udp"}`.
///
/// Values are escaped (``LogEscaping``) so that one event is one line whatever a client put in
/// a user name; lines go to a ``LogOutput``, which writes them on its own thread.
struct LineLogHandler: LogHandler {
    enum Format: Sendable {
        case text
        case json
    }

    let label: String
    let output: LogOutput
    let format: Format
    let levelSwitch: LogLevelSwitch
    var metadata: Logger.Metadata = [:]

    init(label: String, output: LogOutput, format: Format, levelSwitch: LogLevelSwitch) {
        self.label = label
        self.output = output
        self.format = format
        self.levelSwitch = levelSwitch
    }

    /// The shared level: setting it on one handler sets it for all (a reload does).
    var logLevel: Logger.Level {
        get { self.levelSwitch.level }
        nonmutating set { self.levelSwitch.level = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = self.metadata
        if let extra = event.metadata {
            merged.merge(extra) { _, new in new }
        }
        let line = Self.line(
            time: Date(), level: event.level, label: self.label, message: "\(event.message)", metadata: merged, format: self.format)
        self.output.write(line, level: event.level)
    }

    /// One event as a line of `format`, without the newline.
    ///
    /// Text values are escaped by ``LogEscaping/textValue(_:)`` (quoted when they hold a space,
    /// `=`, a quote or a control character) and the message by
    /// ``LogEscaping/textMessage(_:)``, so a value can neither end the line nor add a pair.
    static func line(time: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, format: Format) -> String {
        let stamp = time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        let sorted = metadata.sorted { $0.key < $1.key }
        switch format {
        case .text:
            let fields = sorted.map { " \(LogEscaping.textValue($0.key))=\(LogEscaping.textValue("\($0.value)"))" }.joined()
            return "\(stamp) \(level) \(LogEscaping.textMessage(label)): \(LogEscaping.textMessage(message))\(fields)"
        case .json:
            var fields = [("time", stamp), ("level", level.rawValue), ("label", label), ("message", message)]
            fields += sorted.map { ($0.key, "\($0.value)") }
            let body = fields.map { "\(LogEscaping.jsonString($0.0)):\(LogEscaping.jsonString($0.1))" }.joined(separator: ",")
            return "{\(body)}"
        }
    }
}
