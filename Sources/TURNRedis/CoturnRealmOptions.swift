/// Per-realm limits that coturn keeps in Redis (`turnadmin -g --user-quota N -r realm`).
public struct CoturnRealmOptions: Sendable, Hashable {
    /// The option keys, as coturn names them (`set_redis_realm_opt` in `dbd_redis.c`).
    public enum Option: String, Sendable, CaseIterable {
        /// Allocations one user may hold.
        case userQuota = "user-quota"
        /// Allocations the realm may hold.
        case totalQuota = "total-quota"
        /// Bandwidth cap per session, bytes per second.
        case maxBPS = "max-bps"
    }

    /// `user-quota`, if set.
    public var userQuota: Int?
    /// `total-quota`, if set.
    public var totalQuota: Int?
    /// `max-bps`, if set.
    public var maxBPS: Int?

    /// Creates options.
    public init(userQuota: Int? = nil, totalQuota: Int? = nil, maxBPS: Int? = nil) {
        self.userQuota = userQuota
        self.totalQuota = totalQuota
        self.maxBPS = maxBPS
    }
}
