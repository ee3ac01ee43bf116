public import TURNAuth

/// Why the relay refused a request for a reason an operator watches: a bounded label for
/// metrics and security logs, never naming the user.
public enum TURNRefusal: Hashable, Sendable {
    /// The long-term credential mechanism rejected it (including the ordinary first 401).
    case authentication(AuthFailureReason)
    /// The user holds `user-quota` allocations already (486).
    case userQuota
    /// The room holds `room-quota` allocations already (486).
    case roomQuota
    /// The server holds `total-quota` allocations, or has no relay port left (508).
    case serverCapacity
    /// The peer address is denied by the peer policy (403).
    case peerPolicy
    /// The credential, its user or its room is revoked (403).
    case revoked
    /// The node is draining (508).
    case draining
    /// An Allocate came from one of this server's relayed transport addresses: a client nesting
    /// allocations through the server's own relay (TURN-in-TURN, 403).
    case relayLoop

    /// The metric label.
    public var label: String {
        switch self {
        case .authentication(let reason): reason.rawValue
        case .userQuota: "user_quota"
        case .roomQuota: "room_quota"
        case .serverCapacity: "server_capacity"
        case .peerPolicy: "peer_policy"
        case .revoked: "revoked"
        case .draining: "draining"
        case .relayLoop: "relay_loop"
        }
    }

    /// Every label other than authentication's, for metrics created up front.
    public static let policyLabels = ["user_quota", "room_quota", "server_capacity", "peer_policy", "revoked", "draining", "relay_loop"]
}
