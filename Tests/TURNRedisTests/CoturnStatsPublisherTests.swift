import Testing
import TURNRedis

@Suite(.timeLimit(.minutes(1)))
struct CoturnStatsPublisherTests {
    @Test func formatsKeysLikeCoturn() {
        #expect(CoturnRedisKeys.allocation(realm: "example.org", user: "1700000000:alice", allocationID: 42)
            == "turn/realm/example.org/user/1700000000:alice/allocation/000000000000000042")
        #expect(CoturnRedisKeys.allocation(realm: nil, user: "bob", allocationID: 7) == "turn/user/bob/allocation/000000000000000007")
        #expect(CoturnRedisKeys.formatAllocationID(UInt64.max) == "18446744073709551615")
        #expect(CoturnTrafficCounters(receivedPackets: 1, receivedBytes: 200, sentPackets: 3, sentBytes: 400).coturnMessage
            == "rcvp=1, rcvb=200, sentp=3, sentb=400")
    }

    @Test func publishesStatusAndTrafficEvents() async throws {
        let server = try RedisServerProcess()
        let configuration = RedisTestSupport.configuration(server)
        // What a coturn statsdb consumer subscribes to (turndb/schema.stats.redis).
        let subscriber = try RedisSubscriber(
            configuration: configuration, channels: [], patterns: ["turn/realm/*/user/*/allocation/*"],
            backoff: RedisTestSupport.fastBackoff, logger: RedisTestSupport.logger)
        try await RedisTestSupport.withClient(configuration) { (client: RedisClient) async throws in
            #expect(await RedisTestSupport.eventually { subscriber.health.isSubscribed })
            let stats = CoturnStatsPublisher(client: client)
            let prefix = "turn/realm/example.org/user/alice/allocation/000000000000000009"
            try await stats.allocationCreated(realm: "example.org", user: "alice", allocationID: 9, lifetime: 600)
            #expect(try await client.command(["GET", prefix + "/status"]).text == "new lifetime=600")
            let ttl = try await client.command(["TTL", prefix + "/status"]).integer ?? 0
            #expect(ttl > 590 && ttl <= 600)
            try await stats.allocationRefreshed(realm: "example.org", user: "alice", allocationID: 9, lifetime: 300)
            try await stats.traffic(
                CoturnTrafficCounters(receivedPackets: 10, receivedBytes: 2000, sentPackets: 9, sentBytes: 1800),
                realm: "example.org", user: "alice", allocationID: 9)
            try await stats.allocationDeleted(
                realm: "example.org", user: "alice", allocationID: 9,
                totals: CoturnTrafficCounters(receivedPackets: 10, receivedBytes: 2000, sentPackets: 9, sentBytes: 1800))
            #expect(try await client.command(["EXISTS", prefix + "/status"]) == .integer(0))

            var received: [String] = []
            for await message in subscriber.messages {
                received.append("\(message.channel) \(String(decoding: message.message, as: UTF8.self))")
                if received.count == 5 { break }
            }
            #expect(received == [
                "\(prefix)/status new lifetime=600",
                "\(prefix)/status refreshed lifetime=300",
                "\(prefix)/traffic rcvp=10, rcvb=2000, sentp=9, sentb=1800",
                "\(prefix)/status deleted",
                "\(prefix)/total_traffic rcvp=10, rcvb=2000, sentp=9, sentb=1800",
            ])
        }
        await subscriber.shutdown()
    }
}
