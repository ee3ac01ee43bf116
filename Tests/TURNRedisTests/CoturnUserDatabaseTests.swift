import Foundation
import Testing
import TURNRedis

/// Reads keys written by coturn 4.6.1's own `turnadmin` into a private redis-server.
@Suite(.timeLimit(.minutes(1)))
struct CoturnUserDatabaseTests {
    /// Runs `turnadmin ARGS -N "ip=127.0.0.1 port=P"` and waits for it.
    private func turnadmin(_ arguments: [String], server: RedisServerProcess) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try RedisServerProcess.tool("turnadmin", environment: "TURNADMIN"))
        process.arguments = arguments + ["-N", "ip=127.0.0.1 port=\(server.port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw RedisTestError("turnadmin \(arguments.first ?? "") exited with \(process.terminationStatus)")
        }
    }

    @Test func readsSharedSecretsWrittenByTurnadmin() async throws {
        let server = try RedisServerProcess()
        try self.turnadmin(["-s", "first-secret", "-r", "example.org"], server: server)
        try self.turnadmin(["-s", "second-secret", "-r", "example.org"], server: server)
        try await RedisTestSupport.withClient(RedisTestSupport.configuration(server)) { (client: RedisClient) async throws in
            // coturn 4.6 stores the secrets as a SET.
            #expect(try await client.command(["TYPE", "turn/realm/example.org/secret"]) == .status("set"))
            let database = CoturnUserDatabase(client: client)
            #expect(try await Set(database.sharedSecrets(realm: "example.org")) == ["first-secret", "second-secret"])
            #expect(try await database.sharedSecrets(realm: "other.org").isEmpty)
        }
    }

    @Test func readsUserKeyWrittenByTurnadmin() async throws {
        let server = try RedisServerProcess()
        try self.turnadmin(["-a", "-u", "alice", "-p", "pass", "-r", "example.org"], server: server)
        try await RedisTestSupport.withClient(RedisTestSupport.configuration(server)) { (client: RedisClient) async throws in
            let database = CoturnUserDatabase(client: client)
            // MD5("alice:example.org:pass") = 14f5d36e9e37e3ebd10d4d1e206eb349 (checked with md5sum).
            let expected = CoturnHexFixture.bytes("14f5d36e9e37e3ebd10d4d1e206eb349")
            #expect(try await database.userCredential(user: "alice", realm: "example.org") == .key(expected))
            #expect(try await database.userCredential(user: "bob", realm: "example.org") == nil)
        }
    }

    @Test func fallsBackToThePlaintextPassword() async throws {
        let server = try RedisServerProcess()
        try await RedisTestSupport.withClient(RedisTestSupport.configuration(server)) { (client: RedisClient) async throws in
            // turnadmin writes keys only; coturn's schema also allows `/password` (written here as
            // coturn's `schema.userdb.redis` describes it: a plain string).
            _ = try await client.command(["SET", "turn/realm/example.org/user/carol/password", "open sesame"])
            let database = CoturnUserDatabase(client: client)
            let credential = try await database.userCredential(user: "carol", realm: "example.org")
            #expect(credential == .password("open sesame"))
            #expect(credential?.description.contains("sesame") == false)

            _ = try await client.command(["SET", "turn/realm/example.org/user/dave/key", "not-hex"])
            await #expect(throws: RedisError.unexpectedReply) {
                try await database.userCredential(user: "dave", realm: "example.org")
            }
            _ = try await client.command(["SADD", "turn/realm/example.org/user/erin/key", "x"])
            await #expect(throws: RedisError.serverError) {
                try await database.userCredential(user: "erin", realm: "example.org")
            }
        }
    }

    @Test func readsRealmOptionsWrittenByTurnadmin() async throws {
        let server = try RedisServerProcess()
        try self.turnadmin(["-g", "--user-quota", "10", "--total-quota", "100", "--max-bps", "64000", "-r", "example.org"], server: server)
        try await RedisTestSupport.withClient(RedisTestSupport.configuration(server)) { (client: RedisClient) async throws in
            let database = CoturnUserDatabase(client: client)
            #expect(try await database.realmOptions(realm: "example.org") == CoturnRealmOptions(userQuota: 10, totalQuota: 100, maxBPS: 64000))
            #expect(try await database.realmOptions(realm: "none.org") == CoturnRealmOptions())
        }
    }
}

enum CoturnHexFixture {
    static func bytes(_ hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return result
    }
}
