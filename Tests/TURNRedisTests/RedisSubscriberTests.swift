import Testing
import TURNRedis

@Suite(.timeLimit(.minutes(1)))
struct RedisSubscriberTests {
    /// Waits until the server reports `expected` subscribers on `channel` (PUBSUB NUMSUB).
    private func waitForSubscribers(_ client: RedisClient, channel: String, expected: Int64) async -> Bool {
        await RedisTestSupport.eventually {
            let reply = try? await client.command(["PUBSUB", "NUMSUB", channel])
            return reply?.array?.last?.integer == expected
        }
    }

    @Test func receivesPublishedMessagesOnChannelsAndPatterns() async throws {
        let server = try RedisServerProcess(password: "pw")
        let configuration = RedisTestSupport.configuration(server)
        let subscriber = try RedisSubscriber(
            configuration: configuration, channels: ["turngate/revoke"], patterns: ["turn/realm/*/status"],
            backoff: RedisTestSupport.fastBackoff, logger: RedisTestSupport.logger)
        try await RedisTestSupport.withClient(configuration) { (publisher: RedisClient) async throws in
            #expect(await self.waitForSubscribers(publisher, channel: "turngate/revoke", expected: 1))
            #expect(await RedisTestSupport.eventually { subscriber.health.isSubscribed })
            _ = try await publisher.command(bytes: [Array("PUBLISH".utf8), Array("turngate/revoke".utf8), [0, 1, 2, 255]])
            _ = try await publisher.command(["PUBLISH", "turn/realm/r1/status", "up"])
            var iterator = subscriber.messages.makeAsyncIterator()
            let first = await iterator.next()
            #expect(first == RedisPubSubMessage(channel: "turngate/revoke", message: [0, 1, 2, 255]))
            let second = await iterator.next()
            #expect(second == RedisPubSubMessage(channel: "turn/realm/r1/status", message: Array("up".utf8), pattern: "turn/realm/*/status"))
        }
        await subscriber.shutdown()
        #expect(subscriber.health.isShutDown)
    }

    @Test func resubscribesAfterTheServerRestarts() async throws {
        let server = try RedisServerProcess()
        let configuration = RedisTestSupport.configuration(server)
        let subscriber = try RedisSubscriber(
            configuration: configuration, channels: ["revocations"], backoff: RedisTestSupport.fastBackoff,
            logger: RedisTestSupport.logger)
        var iterator = subscriber.messages.makeAsyncIterator()
        try await RedisTestSupport.withClient(configuration) { (publisher: RedisClient) async throws in
            #expect(await self.waitForSubscribers(publisher, channel: "revocations", expected: 1))
            _ = try await publisher.command(["PUBLISH", "revocations", "before"])
            #expect(await iterator.next()?.message == Array("before".utf8))

            server.stop()
            #expect(await RedisTestSupport.eventually { !subscriber.health.isConnected })
            try server.start()

            #expect(await self.waitForSubscribers(publisher, channel: "revocations", expected: 1))
            #expect(subscriber.health.connects >= 2)
            _ = try await publisher.command(["PUBLISH", "revocations", "after"])
            #expect(await iterator.next()?.message == Array("after".utf8))
        }
        await subscriber.shutdown()
    }

    @Test func shutdownFinishesTheStream() async throws {
        let server = try RedisServerProcess()
        let subscriber = try RedisSubscriber(
            configuration: RedisTestSupport.configuration(server), channels: ["idle"], logger: RedisTestSupport.logger)
        #expect(await RedisTestSupport.eventually { subscriber.health.isSubscribed })
        await subscriber.shutdown()
        var iterator = subscriber.messages.makeAsyncIterator()
        #expect(await iterator.next() == nil)
    }

    @Test func keepsRetryingWhileTheServerIsDown() async throws {
        let port = try RedisServerProcess.freeLoopbackPort()
        let subscriber = try RedisSubscriber(
            configuration: RedisConnectionConfiguration(port: port, connectTimeout: .seconds(1)), channels: ["x"],
            backoff: RedisTestSupport.fastBackoff, logger: RedisTestSupport.logger)
        #expect(await RedisTestSupport.eventually { subscriber.health.lastError == .connectionFailed })
        #expect(!subscriber.health.isConnected)
        await subscriber.shutdown()
    }

    @Test func needsAChannelOrPattern() {
        #expect(throws: RedisError.invalidArgument) {
            try RedisSubscriber(configuration: .init(), channels: [], logger: RedisTestSupport.logger)
        }
    }
}
