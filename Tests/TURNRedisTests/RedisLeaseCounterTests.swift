import Testing
import TURNRedis

@Suite(.timeLimit(.minutes(1)))
struct RedisLeaseCounterTests {
    @Test func enforcesTheLimitAcrossTwoNodes() async throws {
        let server = try RedisServerProcess()
        let configuration = RedisTestSupport.configuration(server)
        try await RedisTestSupport.withClient(configuration) { (nodeAClient: RedisClient) async throws in
            try await RedisTestSupport.withClient(configuration) { (nodeBClient: RedisClient) async throws in
                let nodeA = RedisLeaseCounter(client: nodeAClient)
                let nodeB = RedisLeaseCounter(client: nodeBClient)
                #expect(try await nodeA.acquire(user: "alice", limit: 3, node: "a", allocationID: "1", lease: .seconds(30)) == .acquired(count: 1))
                #expect(try await nodeB.acquire(user: "alice", limit: 3, node: "b", allocationID: "1", lease: .seconds(30)) == .acquired(count: 2))
                #expect(try await nodeA.acquire(user: "alice", limit: 3, node: "a", allocationID: "2", lease: .seconds(30)) == .acquired(count: 3))
                #expect(try await nodeB.acquire(user: "alice", limit: 3, node: "b", allocationID: "2", lease: .seconds(30)) == .refused(count: 3))
                // Re-acquiring a held slot renews it rather than taking another.
                #expect(try await nodeA.acquire(user: "alice", limit: 3, node: "a", allocationID: "1", lease: .seconds(30)) == .acquired(count: 3))
                // Another user is counted separately.
                #expect(try await nodeB.acquire(user: "bob", limit: 1, node: "b", allocationID: "9", lease: .seconds(30)) == .acquired(count: 1))

                #expect(try await nodeA.release(user: "alice", node: "a", allocationID: "2"))
                #expect(try await nodeA.release(user: "alice", node: "a", allocationID: "2") == false)
                #expect(try await nodeB.acquire(user: "alice", limit: 3, node: "b", allocationID: "2", lease: .seconds(30)) == .acquired(count: 3))
                #expect(try await nodeA.count(user: "alice") == 3)
                #expect(try await nodeAClient.command(["ZSCORE", "turngate/quota/user/alice", "b:2"]).text != nil)
            }
        }
    }

    @Test func expiredLeasesFreeSlots() async throws {
        let server = try RedisServerProcess()
        try await RedisTestSupport.withClient(RedisTestSupport.configuration(server)) { (client: RedisClient) async throws in
            let counter = RedisLeaseCounter(client: client)
            // Node "dead" takes a slot with a short lease and never renews it (3 s: long enough
            // for the next two calls on a loaded machine).
            #expect(try await counter.acquire(user: "u", limit: 2, node: "dead", allocationID: "1", lease: .seconds(3)) == .acquired(count: 1))
            #expect(try await counter.acquire(user: "u", limit: 2, node: "live", allocationID: "1", lease: .seconds(30)) == .acquired(count: 2))
            #expect(try await counter.acquire(user: "u", limit: 2, node: "live", allocationID: "2", lease: .seconds(30)) == .refused(count: 2))
            try await Task.sleep(for: .milliseconds(3300))
            #expect(try await counter.acquire(user: "u", limit: 2, node: "live", allocationID: "2", lease: .seconds(30)) == .acquired(count: 2))
            #expect(try await counter.renew(user: "u", node: "dead", allocationID: "1", lease: .seconds(30)) == false)
            #expect(try await counter.renew(user: "u", node: "live", allocationID: "1", lease: .seconds(30)))
        }
    }

    @Test func renewalKeepsALeaseAliveAndTheKeyExpiresWithTheLastLease() async throws {
        let server = try RedisServerProcess()
        try await RedisTestSupport.withClient(RedisTestSupport.configuration(server)) { (client: RedisClient) async throws in
            let counter = RedisLeaseCounter(client: client)
            // Leases of 5 s renewed every second for 6 s: alive past the first lease, with a margin
            // of 4 s per renewal for a busy (or shared, virtual) machine.
            #expect(try await counter.acquire(user: "r", limit: 1, node: "n", allocationID: "1", lease: .seconds(5)) == .acquired(count: 1))
            for _ in 0..<6 {
                try await Task.sleep(for: .seconds(1))
                #expect(try await counter.renew(user: "r", node: "n", allocationID: "1", lease: .seconds(5)))
            }
            #expect(try await counter.acquire(user: "r", limit: 1, node: "other", allocationID: "1", lease: .seconds(1)) == .refused(count: 1))
            let ttl = try await client.command(["PTTL", "turngate/quota/user/r"]).integer ?? -1
            #expect(ttl > 0 && ttl <= 5000)
            try await Task.sleep(for: .milliseconds(5500))
            #expect(try await client.command(["EXISTS", "turngate/quota/user/r"]) == .integer(0))
            #expect(try await counter.count(user: "r") == 0)
        }
    }

    @Test func rejectsAZeroLimit() async throws {
        let server = try RedisServerProcess()
        try await RedisTestSupport.withClient(RedisTestSupport.configuration(server)) { (client: RedisClient) async throws in
            await #expect(throws: RedisError.invalidArgument) {
                try await RedisLeaseCounter(client: client).acquire(user: "u", limit: 0, node: "n", allocationID: "1", lease: .seconds(1))
            }
        }
    }
}
