import Logging
import TURNLogging

/// Security events on their own logger (label `turngate.security`), each a line with the
/// metadata `turn.event`, `turn.reason` and `turn.client` (the client IP), and each counted in
/// `turngate_gateway_security_events_total{event}`.
///
/// Signaling's events also name the token's user and the room (`turn.user`, `turn.room`);
/// nothing else request-controlled beyond the client IP is written, and never a token, secret
/// or admin token. Refusals (rejected tokens, revoked users, denied rooms, failed admin logins)
/// are `warning`: they come after the per-IP rate limit or the admin throttle, so a client
/// cannot flood the log with them. Events a client can repeat without limit (rate-limited,
/// IP-denied, throttled and oversized requests) are `warning` at most once a second each, with
/// the number left out since; the counter counts every one. Admin actions are `notice`. With
/// `security-log-file`, the `warning` lines also go to that file (docs/signaling.md).
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
        case roomDenied = "room_denied"
        case oversized

        /// Whether a client can repeat it without any limit.
        var isUnbounded: Bool { self == .rateLimited || self == .ipDenied || self == .adminThrottled || self == .oversized }
    }

    let logger: Logger
    let metrics: GatewayMetrics
    private let sampler = LogSampler<Event>(interval: .seconds(1))

    init(logger: Logger, metrics: GatewayMetrics) {
        self.logger = logger
        self.metrics = metrics
    }

    /// Logs and counts one event; `user` and `room` are written when given.
    func event(_ event: Event, reason: String, client: String, user: String? = nil, room: String? = nil) {
        self.metrics.securityEvent(event)
        var metadata: Logger.Metadata = ["turn.event": "\(event.rawValue)", "turn.reason": "\(reason)", "turn.client": "\(client)"]
        if let user { metadata["turn.user"] = "\(user)" }
        if let room { metadata["turn.room"] = "\(room)" }
        let level: Logger.Level
        switch event {
        case .revocation, .revocationLifted, .allocationsEnded, .drain:
            level = .notice
        case _ where event.isUnbounded:
            guard let suppressed = self.sampler.admit(event, now: .now) else { return }
            if suppressed > 0 { metadata["turn.suppressed"] = "\(suppressed)" }
            level = .warning
        default:
            level = .warning
        }
        self.logger.log(level: level, "security event", metadata: metadata)
    }
}
