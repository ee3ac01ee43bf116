/// Publishes allocation events in coturn's statsdb format (`redis-statsdb`), so dashboards and
/// billing scripts written for coturn keep working.
///
/// What coturn does, and therefore what this does (coturn `turndb/schema.stats.redis`;
/// `turn_report_allocation_set`, `turn_report_allocation_delete`, `turn_report_session_usage` in
/// `src/apps/relay/ns_ioalib_engine_impl.c`):
/// - new or refreshed allocation: `SET <prefix>/status "new lifetime=600"` (or
///   `"refreshed lifetime=600"`) and `PUBLISH` the same value on the same key;
/// - deleted allocation: `DEL <prefix>/status` and `PUBLISH <prefix>/status "deleted"`;
/// - traffic: `PUBLISH <prefix>/traffic "rcvp=.., rcvb=.., sentp=.., sentb=.."`; on deletion
///   coturn 4.x also publishes the totals on `<prefix>/total_traffic` in the same format.
///
/// One deliberate difference: the status key is written with `EX lifetime` so that a node that
/// dies leaves no stale status behind (coturn deletes `turn/*/allocation/*/status` at start-up
/// instead). Subscribers see identical messages. `<prefix>` is
/// ``CoturnRedisKeys/allocation(realm:user:allocationID:)``.
public struct CoturnStatsPublisher: Sendable {
    /// The client used to publish (the `redis-statsdb` connection).
    public let client: RedisClient

    /// Creates a publisher.
    ///
    /// - Parameter client: The Redis client.
    public init(client: RedisClient) { self.client = client }

    /// Reports a new allocation.
    ///
    /// - Parameters:
    ///   - realm: The realm (or `nil`).
    ///   - user: The username.
    ///   - allocationID: The allocation's numeric id.
    ///   - lifetime: The granted lifetime, in seconds.
    /// - Throws: ``RedisError``.
    public func allocationCreated(realm: String?, user: String, allocationID: UInt64, lifetime: Int) async throws {
        try await self.status("new", realm: realm, user: user, allocationID: allocationID, lifetime: lifetime)
    }

    /// Reports a refreshed allocation (a Refresh with a non-zero lifetime).
    ///
    /// - Parameters: As ``allocationCreated(realm:user:allocationID:lifetime:)``.
    /// - Throws: ``RedisError``.
    public func allocationRefreshed(realm: String?, user: String, allocationID: UInt64, lifetime: Int) async throws {
        try await self.status("refreshed", realm: realm, user: user, allocationID: allocationID, lifetime: lifetime)
    }

    /// Reports a deleted allocation, with its total traffic when given.
    ///
    /// - Parameters:
    ///   - realm: The realm (or `nil`).
    ///   - user: The username.
    ///   - allocationID: The allocation's numeric id.
    ///   - totals: Traffic over the allocation's life, published on `total_traffic`.
    /// - Throws: ``RedisError``.
    public func allocationDeleted(
        realm: String?, user: String, allocationID: UInt64, totals: CoturnTrafficCounters? = nil
    ) async throws {
        let prefix = CoturnRedisKeys.allocation(realm: realm, user: user, allocationID: allocationID)
        try await self.checked(["DEL", prefix + "/status"])
        try await self.checked(["PUBLISH", prefix + "/status", "deleted"])
        if let totals {
            try await self.checked(["PUBLISH", prefix + "/total_traffic", totals.coturnMessage])
        }
    }

    /// Publishes an interval's traffic for an allocation.
    ///
    /// - Parameters:
    ///   - counters: Traffic since the previous report.
    ///   - realm: The realm (or `nil`).
    ///   - user: The username.
    ///   - allocationID: The allocation's numeric id.
    /// - Throws: ``RedisError``.
    public func traffic(
        _ counters: CoturnTrafficCounters, realm: String?, user: String, allocationID: UInt64
    ) async throws {
        let prefix = CoturnRedisKeys.allocation(realm: realm, user: user, allocationID: allocationID)
        try await self.checked(["PUBLISH", prefix + "/traffic", counters.coturnMessage])
    }

    private func status(
        _ status: String, realm: String?, user: String, allocationID: UInt64, lifetime: Int
    ) async throws {
        let key = CoturnRedisKeys.allocation(realm: realm, user: user, allocationID: allocationID) + "/status"
        let value = "\(status) lifetime=\(lifetime)"
        try await self.checked(["SET", key, value, "EX", String(max(lifetime, 1))])
        try await self.checked(["PUBLISH", key, value])
    }

    private func checked(_ arguments: [String]) async throws {
        let reply = try await self.client.command(arguments)
        if let message = reply.errorMessage {
            throw RedisError(.serverError, "\(arguments.first ?? ""): \(message)")
        }
    }
}
