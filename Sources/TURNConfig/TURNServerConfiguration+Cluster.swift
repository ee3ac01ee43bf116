extension TURNServerConfiguration {
    /// `redis-quota-policy`: what admission does when Redis cannot answer (down, unreachable,
    /// too slow, or an unexpected reply) while a cluster-wide `user-quota` or `room-quota` is
    /// in force.
    ///
    /// The default is ``open``: the node's own quotas still hold (a user gets at most
    /// `user-quota` allocations on each node, so at most nodes x `user-quota` cluster-wide
    /// during the outage), and a Redis outage does not become an outage of every relay node.
    /// ``closed`` keeps the cluster-wide limit exact at the price of refusing every new
    /// allocation under a quota until Redis answers again.
    public enum RedisQuotaPolicy: String, CaseIterable, Sendable {
        /// Admit on the node's own count, as coturn does without its database. The default.
        case open
        /// Refuse the allocation (486 Allocation Quota Reached), counted.
        case closed
    }
}
