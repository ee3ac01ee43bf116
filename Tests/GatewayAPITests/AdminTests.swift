import Foundation
import GatewayAPI
import Hummingbird
import HummingbirdTesting
import TURNAuth
import Testing

/// The admin API: authentication, the relay calls it makes, where it is served.
struct AdminTests {
    static let adminToken = "admin-token-0123456789-0123456789"
    static let snapshot = AllocationSnapshot(
        username: "1767229200:alice;r=room-42", user: "alice", room: "room-42", client: "192.0.2.1:50000",
        relayed: "198.51.100.1:49152", transport: "udp", expiresInSeconds: 300, bandwidthKbps: nil)

    static func harness(port: Int? = nil) async throws -> Harness {
        try await Harness.make(relay: FakeRelay(snapshots: [Self.snapshot])) {
            $0.adminToken = CredentialSecret(Self.adminToken)
            $0.adminPort = port
        }
    }

    static let auth: HTTPFields = [.authorization: "Bearer \(adminToken)"]

    @Test
    func missingOrWrongTokensAreRefused() async throws {
        let harness = try await Self.harness()
        try await harness.test { client in
            let missing = try await client.execute(uri: "/v1/admin/allocations", method: .get)
            #expect(missing.status == .unauthorized)
            #expect(missing.errorCode == "invalid_admin_token")
            let wrong = try await client.execute(
                uri: "/v1/admin/allocations", method: .get, headers: [.authorization: "Bearer admin-token-0123456780"])
            #expect(wrong.errorCode == "invalid_admin_token")
        }
        #expect(harness.relay.calls.isEmpty)
        #expect(harness.logs.events("admin_auth_failed").count == 2)
    }

    @Test
    func adminRoutesDoNotExistWithoutAToken() async throws {
        let harness = try await Harness.make()
        try await harness.test { client in
            let response = try await client.execute(uri: "/v1/admin/allocations", method: .get, headers: Self.auth)
            #expect(response.status == .notFound)
            #expect(response.errorCode == "not_found")
        }
        #expect(harness.gateway.makeAdminRouter() == nil)
    }

    @Test
    func listsAndEndsAllocationsThroughTheRelay() async throws {
        let harness = try await Self.harness()
        try await harness.test { client in
            let listed = try await client.execute(uri: "/v1/admin/allocations?user=alice&room=room-42", method: .get, headers: Self.auth)
            #expect(listed.status == .ok)
            let allocations = try #require(try listed.json["allocations"] as? [[String: Any]])
            #expect(allocations.first?["username"] as? String == Self.snapshot.username)
            #expect(allocations.first?["client"] as? String == "192.0.2.1:50000")
            let ended = try await client.execute(uri: "/v1/admin/allocations?room=room-42", method: .delete, headers: Self.auth)
            #expect(try ended.json["ended"] as? Int == 1)
            let unfiltered = try await client.execute(uri: "/v1/admin/allocations", method: .delete, headers: Self.auth)
            #expect(unfiltered.errorCode == "bad_request")
        }
        #expect(
            harness.relay.calls == [.list(AllocationFilter(user: "alice", room: "room-42")), .end(AllocationFilter(room: "room-42"))])
    }

    @Test
    func revocationsAreRecordedEndAllocationsAndLift() async throws {
        let harness = try await Self.harness()
        try await harness.test { client in
            let created = try await client.execute(
                uri: "/v1/admin/revocations", method: .post, headers: Self.auth, body: ByteBuffer(string: #"{"user": "alice", "seconds": 120}"#))
            #expect(created.status == .created)
            let json = try created.json
            #expect(json["ended"] as? Int == 1)
            let revoked = try #require(json["revoked"] as? [String: Any])
            #expect(revoked["user"] as? String == "alice")
            #expect(revoked["until"] as? String == "2026-01-01T00:02:00Z")
            let listed = try await client.execute(uri: "/v1/admin/revocations", method: .get, headers: Self.auth)
            #expect((try listed.json["revocations"] as? [[String: Any]])?.count == 1)
            let token = try await TestKeys.hs256(.valid(now: harness.clock.now))
            let answer4 = try await Harness.credentials(client, token: token)
            #expect(answer4.errorCode == "revoked")
            let lifted = try await client.execute(uri: "/v1/admin/revocations?user=alice", method: .delete, headers: Self.auth)
            #expect(try lifted.json["lifted"] as? Int == 1)
            let answer108 = try await Harness.credentials(client, token: token)
            #expect(answer108.status == .ok)
            let twoSubjects = try await client.execute(
                uri: "/v1/admin/revocations", method: .post, headers: Self.auth, body: ByteBuffer(string: #"{"user": "a", "room": "b"}"#))
            #expect(twoSubjects.errorCode == "bad_request")
        }
        #expect(harness.relay.calls == [.end(AllocationFilter(user: "alice"))])
        #expect(harness.counter("turngate_gateway_revocations_total", [("subject", "user")]) == 1)
        #expect(harness.logs.events("revocation").count == 1)
    }

    @Test
    func drainAsksTheRelayAndReadinessFollows() async throws {
        let harness = try await Self.harness()
        try await harness.test { client in
            let drained = try await client.execute(uri: "/v1/admin/drain", method: .post, headers: Self.auth)
            #expect(drained.status == .accepted)
            #expect(try drained.json["draining"] as? Bool == true)
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(try ready.json["status"] as? String == "draining")
        }
        #expect(harness.relay.calls == [.drain])
    }

    @Test
    func aSeparateAdminPortTakesTheAdminRoutesOffTheAPI() async throws {
        let harness = try await Self.harness(port: 9443)
        try await harness.test { client in
            let answer109 = try await client.execute(uri: "/v1/admin/allocations", method: .get, headers: Self.auth)
            #expect(answer109.status == .notFound)
        }
        let admin = try #require(harness.gateway.makeAdminRouter())
        try await Application(router: admin).test(.router) { client in
            let answer110 = try await client.execute(uri: "/v1/admin/allocations", method: .get, headers: Self.auth)
            #expect(answer110.status == .ok)
            let answer111 = try await client.execute(uri: "/v1/admin/allocations", method: .get)
            #expect(answer111.status == .unauthorized)
            let answer112 = try await client.execute(uri: "/v1/turn/credentials", method: .post)
            #expect(answer112.status == .notFound)
        }
        #expect(harness.gateway.services.count == 4, "two listeners, the JWKS refresh and the signaling clock")
    }
}
