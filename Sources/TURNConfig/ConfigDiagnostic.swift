/// A problem found while reading the configuration, with the line it comes from.
///
/// The `description` reads `line 12: warning: unknown option 'foo'`, `command line: error: …`
/// for a command-line option, or `configuration: warning: …` for a problem of the configuration
/// as a whole; the caller prefixes the file name.
public struct ConfigDiagnostic: Hashable, Sendable, CustomStringConvertible {
    /// How serious a diagnostic is.
    public enum Severity: Sendable {
        /// The server can run; the option is ignored or its effect may surprise.
        case warning
        /// The configuration is unusable; the server must not start.
        case error
    }

    /// How serious the problem is.
    public var severity: Severity
    /// The 1-based file line, or `nil` when the problem comes from the command line (or, for a
    /// conflict between options, from the command line's side of it) or concerns the whole
    /// configuration.
    public var line: Int?
    /// The option concerned, when there is one.
    public var key: String?
    /// What is wrong, in a sentence without a trailing period.
    public var message: String
    /// Whether the problem is with the configuration as a whole rather than with one option
    /// (no authentication is configured at all); such a diagnostic has no line and no key.
    public var concernsWholeConfiguration: Bool

    /// Creates a diagnostic.
    ///
    /// - Parameters:
    ///   - severity: ``Severity/warning`` or ``Severity/error``.
    ///   - line: The 1-based file line, or `nil` for the command line.
    ///   - key: The option concerned, if any.
    ///   - message: What is wrong.
    ///   - concernsWholeConfiguration: Whether no single option is at fault; `line` and `key`
    ///     are then `nil`.
    public init(severity: Severity, line: Int?, key: String?, message: String, concernsWholeConfiguration: Bool = false) {
        self.severity = severity
        self.line = line
        self.key = key
        self.message = message
        self.concernsWholeConfiguration = concernsWholeConfiguration
    }

    /// `line 12: warning: unknown option 'foo'`, `command line: error: …` or
    /// `configuration: warning: …`.
    public var description: String {
        let place = self.line.map { "line \($0)" } ?? (self.concernsWholeConfiguration ? "configuration" : "command line")
        let kind = self.severity == .error ? "error" : "warning"
        return "\(place): \(kind): \(self.message)"
    }

    static func warning(_ message: String, line: Int?, key: String?) -> ConfigDiagnostic {
        ConfigDiagnostic(severity: .warning, line: line, key: key, message: message)
    }

    static func error(_ message: String, line: Int?, key: String?) -> ConfigDiagnostic {
        ConfigDiagnostic(severity: .error, line: line, key: key, message: message)
    }

    static func wholeConfigurationWarning(_ message: String) -> ConfigDiagnostic {
        ConfigDiagnostic(severity: .warning, line: nil, key: nil, message: message, concernsWholeConfiguration: true)
    }

    /// The same diagnostic as an error: what `strict-config` does to every warning.
    var escalated: ConfigDiagnostic {
        var copy = self
        copy.severity = .error
        return copy
    }
}
