import Foundation
import Logging

/// A swift-log handler that writes one line per event, as text or as a JSON object.
///
/// Text: `2026-01-01T12:00:00.000Z info turngate: listening turn.transport=udp`.
/// JSON: `{"time":"…","level":"info","label":"turngate","message":"listening","turn.transport":"udp"}`.
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
        let time = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        let sorted = merged.sorted { $0.key < $1.key }
        switch self.format {
        case .text:
            let fields = sorted.map { " \($0.key)=\($0.value)" }.joined()
            self.output.write("\(time) \(event.level) \(self.label): \(event.message)\(fields)", level: event.level)
        case .json:
            var fields = [
                ("time", time), ("level", event.level.rawValue), ("label", self.label), ("message", "\(event.message)"),
            ]
            fields += sorted.map { ($0.key, "\($0.value)") }
            let body = fields.map { "\(Self.jsonString($0.0)):\(Self.jsonString($0.1))" }.joined(separator: ",")
            self.output.write("{\(body)}", level: event.level)
        }
    }

    /// A JSON string literal for `text` (RFC 8259 Section 7 escaping).
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
