import Testing
import TURNRedis

@Suite(.timeLimit(.minutes(1)))
struct RedisReplyTests {
    @Test func convertsEveryReplyKind() async throws {
        let server = try RedisServerProcess()
        try await RedisTestSupport.withClient(RedisTestSupport.configuration(server)) { (client: RedisClient) async throws in
            #expect(try await client.command(["SET", "k", "v"]) == .status("OK"))
            #expect(try await client.command(["GET", "k"]) == .string(Array("v".utf8)))
            #expect(try await client.command(["GET", "missing"]) == .null)
            #expect(try await client.command(["INCRBY", "n", "41"]) == .integer(41))
            #expect(try await client.command(["INCR", "n"]).integer == 42)
            _ = try await client.command(["RPUSH", "list", "a", "b", "c"])
            #expect(try await client.command(["LRANGE", "list", "0", "-1"]) == .array([.string([97]), .string([98]), .string([99])]))
            let wrongType = try await client.command(["INCR", "list"])
            #expect(wrongType.errorMessage?.hasPrefix("WRONGTYPE") == true)
            let nested = try await client.command(["EVAL", "return {1, {'x', {2}}, 'y'}", "0"])
            #expect(nested == .array([.integer(1), .array([.string([120]), .array([.integer(2)])]), .string([121])]))
        }
    }

    @Test func commandsAreBinarySafe() async throws {
        let server = try RedisServerProcess()
        let value: [UInt8] = [0, 13, 10, 255, 0, 32, 36]
        try await RedisTestSupport.withClient(RedisTestSupport.configuration(server)) { (client: RedisClient) async throws in
            _ = try await client.command(bytes: [Array("SET".utf8), [0x6B, 0x00, 0x6B], value])
            #expect(try await client.command(bytes: [Array("GET".utf8), [0x6B, 0x00, 0x6B]]) == .string(value))
            #expect(try await client.command(["GET", "k"]) == .null)
        }
    }

    @Test func refusesRepliesBeyondTheLimits() async throws {
        let server = try RedisServerProcess()
        var configuration = RedisTestSupport.configuration(server)
        configuration.replyLimits = RedisReplyLimits(maximumStringBytes: 8, maximumElements: 5, maximumDepth: 2)
        try await RedisTestSupport.withClient(configuration) { (client: RedisClient) async throws in
            _ = try await client.command(["RPUSH", "list", "1", "2", "3", "4", "5", "6"])
            await #expect(throws: RedisError.replyTooLarge) { try await client.command(["LRANGE", "list", "0", "-1"]) }
            // A refused reply drops the connection; the next command reconnects.
            #expect(try await client.command(["LRANGE", "list", "0", "4"]).array?.count == 5)
            _ = try await client.command(["SET", "big", "123456789"])
            await #expect(throws: RedisError.replyTooLarge) { try await client.command(["GET", "big"]) }
            await #expect(throws: RedisError.replyTooLarge) {
                try await client.command(["EVAL", "return {{{1}}}", "0"])
            }
            #expect(try await client.command(["EVAL", "return {{1}}", "0"]) == .array([.array([.integer(1)])]))
        }
    }

    @Test func rejectsAnEmptyCommand() async throws {
        let server = try RedisServerProcess()
        try await RedisTestSupport.withClient(RedisTestSupport.configuration(server)) { (client: RedisClient) async throws in
            await #expect(throws: RedisError.invalidArgument) { try await client.command([String]()) }
        }
    }

    @Test func connectionWorksDirectlyOnOneThread() throws {
        let server = try RedisServerProcess()
        let connection = try RedisConnection(connectingTo: RedisTestSupport.configuration(server, database: 3))
        #expect(try connection.command(["SET", "in3", "x"]) == .status("OK"))
        let other = try RedisConnection(connectingTo: RedisTestSupport.configuration(server))
        #expect(try other.command(["GET", "in3"]) == .null)
        #expect(try other.command(["SELECT", "3"]) == .status("OK"))
        #expect(try other.command(["GET", "in3"]).text == "x")
    }
}
