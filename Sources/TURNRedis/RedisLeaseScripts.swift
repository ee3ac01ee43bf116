/// The Lua scripts behind ``RedisLeaseCounter``. Each takes the user's key as `KEYS[1]` and uses
/// the server's `TIME` in milliseconds as "now" (allowed in scripts since Redis 5, which
/// replicates script effects rather than the script).
enum RedisLeaseScripts {
    /// Shared prologue: `now` in ms, expired members dropped.
    private static let prologue = """
        local key = KEYS[1]
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
        local function keep_until_last_lease()
          local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
          if last[2] then redis.call('PEXPIREAT', key, last[2]) end
        end

        """

    /// ARGV: member, limit, lease ms. Returns `{1, count}` when held, `{0, count}` when refused.
    static let acquire = prologue + """
        local member = ARGV[1]
        local limit = tonumber(ARGV[2])
        local lease = tonumber(ARGV[3])
        if redis.call('ZSCORE', key, member) then
          redis.call('ZADD', key, now + lease, member)
          keep_until_last_lease()
          return {1, redis.call('ZCARD', key)}
        end
        local count = redis.call('ZCARD', key)
        if count >= limit then
          return {0, count}
        end
        redis.call('ZADD', key, now + lease, member)
        keep_until_last_lease()
        return {1, count + 1}
        """

    /// No ARGV. Returns the live members.
    static let members = prologue + """
        return redis.call('ZRANGE', key, 0, -1)
        """

    /// ARGV: member, lease ms. Returns 1 if renewed, 0 if the lease was gone.
    static let renew = prologue + """
        if not redis.call('ZSCORE', key, ARGV[1]) then
          return 0
        end
        redis.call('ZADD', key, 'XX', now + tonumber(ARGV[2]), ARGV[1])
        keep_until_last_lease()
        return 1
        """

    /// ARGV: member. Returns 1 if a live lease was removed.
    static let release = prologue + """
        return redis.call('ZREM', key, ARGV[1])
        """

    /// Returns the number of live leases.
    static let count = prologue + """
        return redis.call('ZCARD', key)
        """
}
