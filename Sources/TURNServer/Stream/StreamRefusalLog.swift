import Logging
import NIOCore
import TURNLogging
import TURNMetrics

/// Records TCP and TLS connections refused or closed by a limit: every one is counted in
/// `turn_stream_refusals_total{reason}`, and at most one line a second per reason is logged,
/// with the number left out since (`turn.suppressed`), so a client opening connections in a
/// loop cannot flood the log.
///
/// Limits reached (total, per source) and failed accepts are warnings, since the operator may
/// need to raise a limit or the open-files limit; deadlines are informational, and an idle
/// connection closing is routine (debug).
struct StreamRefusalLog: Sendable {
    private let logger: Logger
    private let metrics: RelayMetrics
    private let sampler: LogSampler<RelayMetrics.StreamRefusal>

    init(logger: Logger, metrics: RelayMetrics, sampler: LogSampler<RelayMetrics.StreamRefusal> = LogSampler()) {
        self.logger = logger
        self.metrics = metrics
        self.sampler = sampler
    }

    /// Counts one refusal and logs it unless a line for `reason` was written within the interval.
    func record(_ reason: RelayMetrics.StreamRefusal, client: SocketAddress?, limit: Int? = nil) {
        self.metrics.streamRefused(reason)
        guard let suppressed = self.sampler.admit(reason, now: .now) else { return }
        var metadata: Logger.Metadata = ["turn.event": "stream_refused", "turn.reason": "\(reason.rawValue)"]
        if let client { metadata["turn.client"] = "\(client)" }
        if let limit { metadata["turn.limit"] = "\(limit)" }
        if suppressed > 0 { metadata["turn.suppressed"] = "\(suppressed)" }
        self.logger.log(level: Self.level(reason), "connection closed by a limit", metadata: metadata)
    }

    private static func level(_ reason: RelayMetrics.StreamRefusal) -> Logger.Level {
        switch reason {
        case .totalLimit, .sourceLimit, .acceptFailed: .warning
        case .handshakeTimeout, .firstFrameTimeout: .info
        case .idleTimeout: .debug
        }
    }
}
