import Logging

/// Security events on their own logger (label `turngate.security`), each a line with the
/// metadata `turn.event`, `turn.reason` and `turn.client` (the client IP), and each counted in
/// `turngate_gateway_security_events_total{event}`.
///
/// Nothing request-controlled beyond the client IP is written, and never a token, secret or
/// admin token. Events a peer can cause at will (failed admin authentication included) are
/// `debug`, so a flood of them cannot flood the log; the counter shows them at any level.
/// Admin actions are `notice`.
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
    }

    let logger: Logger
    let metrics: GatewayMetrics

    /// Logs and counts one event.
    func event(_ event: Event, reason: String, client: String) {
        let level: Logger.Level =
            switch event {
            case .tokenRejected, .rateLimited, .revoked, .ipDenied, .adminAuthFailed, .adminThrottled: .debug
            case .revocation, .revocationLifted, .allocationsEnded, .drain: .notice
            }
        self.metrics.securityEvent(event)
        self.logger.log(
            level: level, "security event",
            metadata: ["turn.event": "\(event.rawValue)", "turn.reason": "\(reason)", "turn.client": "\(client)"])
    }
}
