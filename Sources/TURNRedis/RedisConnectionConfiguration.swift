/// Where and how to connect to Redis: address, database, credentials and timeouts.
///
/// Build one directly or from coturn's `redis-userdb` / `redis-statsdb` connection string with
/// ``init(coturnConnectionString:)``. After the TCP connect, ``RedisConnection`` sends
/// `AUTH` (when ``password`` is set) and `SELECT` (when ``database`` is not 0), as coturn's
/// `get_redis_connection` does.
public struct RedisConnectionConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// Host name or IP address; resolved by hiredis (`getaddrinfo`) on the Redis thread.
    public var host: String
    /// TCP port.
    public var port: Int
    /// Database number sent with `SELECT` after connecting.
    public var database: Int
    /// The password sent with `AUTH`; never printed.
    public var password: RedisPassword?
    /// Bound on the TCP connect (`redisConnectWithTimeout`).
    public var connectTimeout: Duration
    /// Bound on each command's write and read (`redisSetTimeout`, `SO_SNDTIMEO`/`SO_RCVTIMEO`).
    public var commandTimeout: Duration
    /// Bounds applied to every reply.
    public var replyLimits: RedisReplyLimits

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - host: Host name or address; `127.0.0.1` by default (coturn's default).
    ///   - port: TCP port; 6379 by default.
    ///   - database: Database number; 0 by default.
    ///   - password: AUTH password, if the server requires one.
    ///   - connectTimeout: Connect bound; 5 s by default.
    ///   - commandTimeout: Per-command bound; 2 s by default.
    ///   - replyLimits: Reply size bounds.
    public init(
        host: String = "127.0.0.1", port: Int = 6379, database: Int = 0, password: RedisPassword? = nil,
        connectTimeout: Duration = .seconds(5), commandTimeout: Duration = .seconds(2),
        replyLimits: RedisReplyLimits = RedisReplyLimits()
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.password = password
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.replyLimits = replyLimits
    }

    /// `host:port`, for messages.
    var endpoint: String { "\(self.host):\(self.port)" }

    /// The configuration in coturn's connection-string syntax, with the password redacted.
    public var description: String {
        var parts = ["host=\(self.host)", "port=\(self.port)", "dbname=\(self.database)"]
        if self.password != nil { parts.append("password=<redacted>") }
        parts.append("connect_timeout=\(self.connectTimeout)")
        return parts.joined(separator: " ")
    }
}
