import Logging
import TURNRedis

/// Shared helpers for the Redis suites.
enum RedisTestSupport {
    /// A logger that prints nothing (libraries take a logger; tests do not bootstrap one).
    static let logger = Logger(label: "turngate.redis.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A configuration for a private server, with short timeouts.
    static func configuration(
        _ server: RedisServerProcess, password: String? = nil, database: Int = 0
    ) -> RedisConnectionConfiguration {
        RedisConnectionConfiguration(
            host: "127.0.0.1", port: server.port, database: database,
            password: (password ?? server.password).map { RedisPassword($0) },
            connectTimeout: .seconds(2), commandTimeout: .seconds(2))
    }

    /// A fast backoff for tests: 20 ms doubling to 200 ms.
    static let fastBackoff = RedisBackoff(initial: .milliseconds(20), maximum: .milliseconds(200), jitter: 0.1)

    /// Polls `condition` every 20 ms until it holds or `timeout` passes.
    ///
    /// - Returns: Whether the condition held in time.
    static func eventually(
        within timeout: Duration = .seconds(10), _ condition: () async throws -> Bool
    ) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }

    /// Runs `body` with a client on `server`, shutting the client down afterwards.
    @discardableResult
    static func withClient<Result>(
        _ configuration: RedisConnectionConfiguration, backoff: RedisBackoff = fastBackoff,
        _ body: (RedisClient) async throws -> Result
    ) async throws -> Result {
        let client = RedisClient(configuration: configuration, backoff: backoff, logger: logger)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
