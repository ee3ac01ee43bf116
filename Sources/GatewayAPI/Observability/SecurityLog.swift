import Logging
import TURNLogging

/// Security events on their own logger (label `turngate.security`), each a line with the
/// metadata `turn.event`, `turn.reason` and `turn.client` (the client IP), and each counted in
/// `turngate_gateway_security_events_total{event}`.
///
/// Nothing request-controlled beyond the client IP is written, and never a token, secret or
/// admin token. Rejected tokens, revoked users and failed admin logins are `info`: they come
/// after the per-IP rate limit or the admin throttle, so a client cannot flood the log with
/// them. Events a client can repeat without limit (rate-limited, IP-denied and throttled
/// requests) are `info` at most once a second each, with the number left out since; the
/// counter counts every one. Admin actions are `notice`.
struct SecurityLog: Sendable {
    /// What happened.
    enum Event: String, Sendable, CaseIterable {
        case tokenRejected = "token_rejected"
        case rateLimited = "rate_limited"
        case revoked
        case ipDenied = "ip_denied"
        case adminAuthFailed = "admin_auth_failed"
        case adminThrottled = "admin_throttled"
        case revocation
        case revocationLifted = "revocation_lifted"
        case allocationsEnded = "allocations_ended"
        case drain

        /// Whether a client can repeat it without any limit.
        var isUnbounded: Bool { self == .rateLimited || self == .ipDenied || self == .adminThrottled }
    }

    let logger: Logger
    let metrics: GatewayMetrics
    private let sampler = LogSampler<Event>(interval: .seconds(1))

    init(logger: Logger, metrics: GatewayMetrics) {
        self.logger = logger
        self.metrics = metrics
    }

    /// Logs and counts one event.
    func event(_ event: Event, reason: String, client: String) {
        self.metrics.securityEvent(event)
        var metadata: Logger.Metadata = ["turn.event": "\(event.rawValue)", "turn.reason": "\(reason)", "turn.client": "\(client)"]
        let level: Logger.Level
        switch event {
        case .revocation, .revocationLifted, .allocationsEnded, .drain:
            level = .notice
        case _ where event.isUnbounded:
            guard let suppressed = self.sampler.admit(event, now: .now) else { return }
            if suppressed > 0 { metadata["turn.suppressed"] = "\(suppressed)" }
            level = .info
        default:
            level = .info
        }
        self.logger.log(level: level, "security event", metadata: metadata)
    }
}
