import Testing
import TURNRedis

@Suite(.timeLimit(.minutes(1)))
struct RedisClientTests {
    @Test func authenticatesWithRequirepass() async throws {
        let server = try RedisServerProcess(password: "s3cret-pw")
        try await RedisTestSupport.withClient(RedisTestSupport.configuration(server)) { (client: RedisClient) async throws in
            #expect(try await client.command(["PING"]) == .status("PONG"))
            #expect(client.isConnected)
        }
    }

    @Test func wrongPasswordIsAnAuthenticationErrorWithoutThePassword() async throws {
        let server = try RedisServerProcess(password: "right-pw")
        let configuration = RedisTestSupport.configuration(server, password: "wrong-pw-xyz")
        try await RedisTestSupport.withClient(configuration) { (client: RedisClient) async throws in
            let error = await #expect(throws: RedisError.authenticationFailed) { try await client.command(["PING"]) }
            #expect(error?.description.contains("wrong-pw-xyz") == false)
            #expect(error?.description.contains("WRONGPASS") == true)
            #expect(!client.isConnected)
            #expect(client.health.lastError == .authenticationFailed)
        }
    }

    @Test func missingPasswordIsRefusedByTheServer() async throws {
        let server = try RedisServerProcess(password: "pw")
        var configuration = RedisTestSupport.configuration(server)
        configuration.password = nil
        try await RedisTestSupport.withClient(configuration) { (client: RedisClient) async throws in
            let reply = try await client.command(["GET", "x"])
            #expect(reply.errorMessage?.hasPrefix("NOAUTH") == true)
        }
    }

    @Test func connectionRefusedIsAConnectError() async throws {
        let port = try RedisServerProcess.freeLoopbackPort()
        let configuration = RedisConnectionConfiguration(port: port, password: "never-printed", connectTimeout: .seconds(1))
        let slowBackoff = RedisBackoff(initial: .seconds(20), maximum: .seconds(20), jitter: 0)
        try await RedisTestSupport.withClient(configuration, backoff: slowBackoff) { (client: RedisClient) async throws in
            let error = await #expect(throws: RedisError.connectionFailed) { try await client.command(["PING"]) }
            #expect(error?.message.contains("refused") == true)
            #expect(error?.description.contains("never-printed") == false)
            // Within the backoff window, commands fail fast without touching the network.
            await #expect(throws: RedisError.notConnected) { try await client.command(["PING"]) }
            let health = client.health
            #expect(!health.isConnected)
            #expect(health.consecutiveFailures == 1)
            #expect(health.nextAttempt != nil)
        }
    }

    @Test func reconnectsAfterTheServerIsKilledAndRestarted() async throws {
        let server = try RedisServerProcess()
        try await RedisTestSupport.withClient(RedisTestSupport.configuration(server)) { (client: RedisClient) async throws in
            _ = try await client.command(["SET", "a", "1"])
            #expect(client.health.connects == 1)

            server.stop()
            // The in-flight command on the dead connection fails; later ones fail while it is down.
            await #expect(throws: RedisError.self) { try await client.command(["GET", "a"]) }
            #expect(!client.isConnected)
            await #expect(throws: RedisError.self) { try await client.command(["GET", "a"]) }

            try server.start()
            let recovered = await RedisTestSupport.eventually(within: .seconds(5)) {
                (try? await client.command(["SET", "b", "2"])) == .status("OK")
            }
            #expect(recovered)
            #expect(client.isConnected)
            #expect(client.health.connects == 2)
            #expect(try await client.command(["GET", "b"]).text == "2")
        }
    }

    @Test func maintainConnectionRestoresHealthWithoutTraffic() async throws {
        let server = try RedisServerProcess()
        try await RedisTestSupport.withClient(RedisTestSupport.configuration(server)) { (client: RedisClient) async throws in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.maintainConnection(every: .milliseconds(50)) }
                #expect(await RedisTestSupport.eventually { client.isConnected })
                server.stop()
                #expect(await RedisTestSupport.eventually { !client.isConnected })
                try server.start()
                #expect(await RedisTestSupport.eventually { client.isConnected })
                group.cancelAll()
            }
        }
    }

    @Test func commandTimeoutIsReportedAndTheConnectionReplaced() async throws {
        let server = try RedisServerProcess()
        var configuration = RedisTestSupport.configuration(server)
        configuration.commandTimeout = .milliseconds(300)
        try await RedisTestSupport.withClient(configuration) { (client: RedisClient) async throws in
            // Without the 300 ms command timeout, BLPOP would answer null after 5 s instead of failing.
            await #expect(throws: RedisError.timeout) { try await client.command(["BLPOP", "empty-list", "5"]) }
            try await Task.sleep(for: .milliseconds(900))
            #expect(try await client.command(["PING"]) == .status("PONG"))
        }
    }

    @Test func shutdownStopsCommands() async throws {
        let server = try RedisServerProcess()
        let client = RedisClient(configuration: RedisTestSupport.configuration(server), logger: RedisTestSupport.logger)
        _ = try await client.command(["PING"])
        await client.shutdown()
        await client.shutdown()
        #expect(client.health.isShutDown)
        #expect(!client.isConnected)
        await #expect(throws: RedisError.shutdown) { try await client.command(["PING"]) }
    }
}
