/// Cluster-wide allocation quotas with leases that lapse when a node dies.
///
/// Each user has a sorted set `<prefix><user>` whose members are `<node>:<allocation-id>` and
/// whose scores are lease expiry times in milliseconds of the Redis server's clock (`TIME`), so
/// node clocks do not matter. Every operation is one Lua script (`EVAL`, atomic on the server)
/// that first drops expired members (`ZREMRANGEBYSCORE -inf now`):
/// - ``acquire(user:limit:node:allocationID:lease:)``: if the member is already present its lease
///   is extended; otherwise it is added only while `ZCARD < limit`;
/// - ``renew(user:node:allocationID:lease:)``: extends a live lease (call it on each Refresh, well
///   before the lease lapses);
/// - ``release(user:node:allocationID:)``: removes the member.
/// The key itself expires (`PEXPIREAT`) with its last lease, so idle users leave nothing behind.
///
/// Pick a lease a little longer than the renewal period (for example allocation lifetime plus
/// 30 s, renewed on every Refresh): a crashed node's slots come back after at most one lease.
public struct RedisLeaseCounter: Sendable {
    /// The outcome of ``RedisLeaseCounter/acquire(user:limit:node:allocationID:lease:)``.
    public enum Outcome: Sendable, Hashable {
        /// The slot is held; `count` live leases now exist for the user (this one included).
        case acquired(count: Int)
        /// The user is at the limit; `count` live leases exist.
        case refused(count: Int)
    }

    /// The client that runs the scripts.
    public let client: RedisClient
    /// Prefix of the per-user keys.
    public let keyPrefix: String

    /// Creates a counter.
    ///
    /// - Parameters:
    ///   - client: The Redis client.
    ///   - keyPrefix: Key prefix; `turngate/quota/user/` by default (outside coturn's `turn/`).
    public init(client: RedisClient, keyPrefix: String = "turngate/quota/user/") {
        self.client = client
        self.keyPrefix = keyPrefix
    }

    /// Takes a slot for an allocation if the user holds fewer than `limit` live leases.
    ///
    /// Idempotent for the same member: acquiring again renews instead of taking a second slot.
    ///
    /// - Parameters:
    ///   - user: The username the quota applies to.
    ///   - limit: The most live leases the user may hold; at least 1.
    ///   - node: This relay node's stable name.
    ///   - allocationID: The allocation's id, unique on the node.
    ///   - lease: How long the slot stays held without renewal; at least 1 ms.
    /// - Returns: ``Outcome/acquired(count:)`` or ``Outcome/refused(count:)``.
    /// - Throws: ``RedisError``; ``RedisError/Code/invalidArgument`` for a limit below 1.
    public func acquire(
        user: String, limit: Int, node: String, allocationID: String, lease: Duration
    ) async throws -> Outcome {
        guard limit >= 1 else { throw RedisError(.invalidArgument, "a quota limit must be at least 1") }
        let values = try await self.run(
            RedisLeaseScripts.acquire, user: user,
            arguments: [Self.member(node, allocationID), String(limit), String(Self.milliseconds(lease))])
        guard values.count == 2 else { throw RedisError(.unexpectedReply, "lease acquire: wrong reply shape") }
        return values[0] == 1 ? .acquired(count: Int(values[1])) : .refused(count: Int(values[1]))
    }

    /// Extends a live lease.
    ///
    /// - Parameters:
    ///   - user: The username.
    ///   - node: This node's name.
    ///   - allocationID: The allocation's id.
    ///   - lease: The new lease length from now.
    /// - Returns: `false` if the lease had already lapsed or was released (the slot is gone;
    ///   acquire again if the allocation should continue).
    /// - Throws: ``RedisError``.
    public func renew(user: String, node: String, allocationID: String, lease: Duration) async throws -> Bool {
        let values = try await self.run(
            RedisLeaseScripts.renew, user: user,
            arguments: [Self.member(node, allocationID), String(Self.milliseconds(lease))])
        return values.first == 1
    }

    /// Gives a slot back.
    ///
    /// - Parameters:
    ///   - user: The username.
    ///   - node: This node's name.
    ///   - allocationID: The allocation's id.
    /// - Returns: Whether a live lease was removed.
    /// - Throws: ``RedisError``.
    @discardableResult
    public func release(user: String, node: String, allocationID: String) async throws -> Bool {
        let values = try await self.run(
            RedisLeaseScripts.release, user: user, arguments: [Self.member(node, allocationID)])
        return values.first == 1
    }

    /// The number of live leases the user holds.
    ///
    /// - Parameter user: The username.
    /// - Returns: The count, after dropping expired leases.
    /// - Throws: ``RedisError``.
    public func count(user: String) async throws -> Int {
        let values = try await self.run(RedisLeaseScripts.count, user: user, arguments: [])
        return Int(values.first ?? 0)
    }

    /// The live leases of a user, as `(node, allocationID)`.
    ///
    /// - Parameter user: The username.
    /// - Returns: The holders, after dropping expired leases.
    /// - Throws: ``RedisError``.
    public func holders(user: String) async throws -> [(node: String, allocationID: String)] {
        let reply = try await self.client.command(["EVAL", RedisLeaseScripts.members, "1", self.keyPrefix + user])
        guard let elements = reply.array else {
            throw RedisError(.unexpectedReply, "lease script: \(reply.errorMessage ?? "unexpected reply")")
        }
        return elements.compactMap { element in
            guard let member = element.text, let colon = member.lastIndex(of: ":") else { return nil }
            return (String(member[..<colon]), String(member[member.index(after: colon)...]))
        }
    }

    /// Runs a script on the user's key and returns its integer reply or array of integers.
    private func run(_ script: String, user: String, arguments: [String]) async throws -> [Int64] {
        let reply = try await self.client.command(["EVAL", script, "1", self.keyPrefix + user] + arguments)
        switch reply {
        case .integer(let value):
            return [value]
        case .array(let elements):
            return try elements.map { element throws(RedisError) -> Int64 in
                guard let value = element.integer else {
                    throw RedisError(.unexpectedReply, "lease script: non-integer in reply")
                }
                return value
            }
        case .error(let message):
            throw RedisError(.serverError, "lease script: \(message)")
        default:
            throw RedisError(.unexpectedReply, "lease script: unexpected reply")
        }
    }

    private static func member(_ node: String, _ allocationID: String) -> String { "\(node):\(allocationID)" }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(seconds * 1000 + attoseconds / 1_000_000_000_000_000, 1)
    }
}
