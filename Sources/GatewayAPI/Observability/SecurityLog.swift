import Logging

/// Security events on their own logger (label `turngate.security`), each a line with the
/// metadata `event`, `reason` and `turn.client` (the client IP).
///
/// Nothing request-controlled beyond the client IP is written, and never a token, secret or
/// admin token. Events a peer can cause at will are `info`, admin actions `notice`, failed
/// admin authentication `warning`: the executable chooses what reaches the output.
struct SecurityLog: Sendable {
    /// What happened.
    enum Event: String, Sendable {
        case tokenRejected = "token_rejected"
        case rateLimited = "rate_limited"
        case revoked
        case ipDenied = "ip_denied"
        case adminAuthFailed = "admin_auth_failed"
        case revocation
        case revocationLifted = "revocation_lifted"
        case allocationsEnded = "allocations_ended"
        case drain
    }

    let logger: Logger

    /// Logs one event.
    func event(_ event: Event, reason: String, client: String) {
        let level: Logger.Level =
            switch event {
            case .tokenRejected, .rateLimited, .revoked, .ipDenied: .info
            case .revocation, .revocationLifted, .allocationsEnded, .drain: .notice
            case .adminAuthFailed: .warning
            }
        self.logger.log(
            level: level, "security event",
            metadata: ["event": "\(event.rawValue)", "reason": "\(reason)", "turn.client": "\(client)"])
    }
}
