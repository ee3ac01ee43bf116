extension TURNServerConfiguration {
    /// The lowest severity logged. The raw values are swift-log's `Logger.Level` names.
    public enum LogLevel: String, CaseIterable, Sendable {
        /// Every packet (coturn's `Verbose`).
        case trace
        /// Every allocation, permission and channel (coturn's `verbose`).
        case debug
        /// Startup, binds and shutdown: the default.
        case info
        /// Notable events.
        case notice
        /// Problems the server works around.
        case warning
        /// Failed operations.
        case error
        /// The server cannot go on.
        case critical
    }

    /// How each log line is written.
    public enum LogFormat: String, CaseIterable, Sendable {
        /// Human-readable text.
        case text
        /// One JSON object per line.
        case json
    }
}
