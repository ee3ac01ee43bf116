import Crypto
import Foundation
import GatewayAPI
import Hummingbird
import HummingbirdTesting
import TURNAuth
import Testing

/// What `POST /v1/turn/credentials` and `GET /?service=turn` mint.
struct CredentialTests {
    @Test
    func responseCarriesAVerifiableCredentialWithItsGrants() async throws {
        let harness = try await Harness.make()
        let now = harness.clock.now
        let token = try await TestKeys.hs256(
            .valid(now: now, extra: ["roomId": .string("room-42"), "permissions": .strings(["audio", "video"])]))
        try await harness.test { client in
            let response = try await Harness.credentials(client, token: token, body: #"{"roomId": "room-42"}"#)
            #expect(response.status == .ok)
            let json = try response.json
            let username = try #require(json["username"] as? String)
            let password = try #require(json["password"] as? String)
            let expiry = Int(now.timeIntervalSince1970) + 3600
            #expect(username == "\(expiry):alice;r=room-42;bw=1000")
            let mac = HMAC<Insecure.SHA1>.authenticationCode(
                for: Array(username.utf8), using: SymmetricKey(data: Array(Harness.restSecret.utf8)))
            #expect(password == Data(mac).base64EncodedString())
            #expect(json["credential"] as? String == password)
            #expect(json["ttl"] as? Int == 3600)
            #expect(json["expiresAt"] as? String == "2026-01-01T01:00:00Z")
            #expect(json["refreshAfter"] as? String == "2026-01-01T00:48:00Z")
            #expect(json["uris"] as? [String] == Harness.uris)
            let servers = try #require(json["iceServers"] as? [[String: Any]])
            #expect(servers.count == 1)
            #expect(servers.first?["urls"] as? [String] == Harness.uris)
            #expect(servers.first?["username"] as? String == username)
            #expect(servers.first?["credential"] as? String == password)
            #expect(json["userId"] as? String == "alice")
            #expect(json["roomId"] as? String == "room-42")
            #expect(json["bandwidthClass"] as? String == "video")
            #expect(json["maxBitrateKbps"] as? Int == 1000)
            let parsed = try #require(RESTCredential.parse(username: username))
            let grant = try #require(CredentialGrant(decoding: parsed.user))
            #expect(grant == CredentialGrant(user: "alice", room: "room-42", bandwidthKbps: 1000))
            #expect(response.headers[try Harness.header("RateLimit-Limit")] == "50")
            #expect(response.headers[try Harness.header("RateLimit-Remaining")] == "49")
        }
    }

    @Test
    func aTokenWithoutPermissionsGetsNoClassAndARequestedRoom() async throws {
        let harness = try await Harness.make()
        let token = try await TestKeys.hs256(.valid(now: harness.clock.now))
        try await harness.test { client in
            let json = try await Harness.credentials(client, token: token, body: #"{"roomId": "lobby"}"#).json
            let username = try #require(json["username"] as? String)
            #expect(username.hasSuffix(":alice;r=lobby"))
            #expect(json["bandwidthClass"] == nil)
        }
    }

    @Test
    func permissionsNamingNoClassAreRefused() async throws {
        let harness = try await Harness.make()
        let token = try await TestKeys.hs256(.valid(now: harness.clock.now, extra: ["permissions": .strings(["chat"])]))
        try await harness.test { client in
            let response = try await Harness.credentials(client, token: token)
            #expect(response.status == .forbidden)
            #expect(response.errorCode == "no_media_permission")
        }
    }

    @Test
    func aRoomOtherThanTheTokensIsRefused() async throws {
        let harness = try await Harness.make()
        let token = try await TestKeys.hs256(.valid(now: harness.clock.now, extra: ["roomId": .string("room-42")]))
        try await harness.test { client in
            let response = try await Harness.credentials(client, token: token, body: #"{"roomId": "room-7"}"#)
            #expect(response.status == .forbidden)
            #expect(response.errorCode == "room_not_allowed")
        }
    }

    @Test(arguments: [(600, 600), (7200, 3600)])
    func ttlCanOnlyShorten(asked: Int, granted: Int) async throws {
        let harness = try await Harness.make()
        let token = try await TestKeys.hs256(.valid(now: harness.clock.now))
        try await harness.test { client in
            let json = try await Harness.credentials(client, token: token, body: #"{"ttl": \#(asked)}"#).json
            #expect(json["ttl"] as? Int == granted)
            let username = try #require(json["username"] as? String)
            #expect(username.hasPrefix("\(Int(harness.clock.now.timeIntervalSince1970) + granted):"))
        }
    }

    @Test(arguments: [#"{"ttl": -5}"#, #"{"ttl": "long"}"#, "not json", #"["array"]"#])
    func malformedBodiesAreBadRequests(body: String) async throws {
        let harness = try await Harness.make()
        let token = try await TestKeys.hs256(.valid(now: harness.clock.now))
        try await harness.test { client in
            let response = try await Harness.credentials(client, token: token, body: body)
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "bad_request")
        }
    }

    @Test(arguments: [Revocation.Subject.user("alice"), .room("room-42")])
    func revokedUsersAndRoomsGetNoCredential(subject: Revocation.Subject) async throws {
        let harness = try await Harness.make()
        harness.revocations.revoke(Revocation(subject: subject, until: harness.clock.now + 600), now: harness.clock.now)
        let token = try await TestKeys.hs256(.valid(now: harness.clock.now, extra: ["roomId": .string("room-42")]))
        try await harness.test { client in
            let response = try await Harness.credentials(client, token: token)
            #expect(response.status == .forbidden)
            #expect(response.errorCode == "revoked")
        }
        #expect(harness.logs.events("revoked").count == 1)
        #expect(harness.counter("turngate_gateway_credentials_issued_total") == 0)
    }

    @Test
    func restAPIEndpointAnswersTheDraftFormat() async throws {
        let harness = try await Harness.make()
        let token = try await TestKeys.hs256(.valid(now: harness.clock.now))
        try await harness.test { client in
            let headers: HTTPFields = [.authorization: "Bearer \(token)"]
            let response = try await client.execute(uri: "/?service=turn&username=alice", method: .get, headers: headers)
            #expect(response.status == .ok)
            let json = try response.json
            #expect(Set(json.keys) == ["username", "password", "ttl", "uris"])
            let username = try #require(json["username"] as? String)
            #expect(json["password"] as? String == RESTCredential.password(for: username, secret: Harness.restSecret))
            let mismatch = try await client.execute(uri: "/?service=turn&username=mallory", method: .get, headers: headers)
            #expect(mismatch.status == .forbidden)
            #expect(mismatch.errorCode == "username_mismatch")
            let wrongService = try await client.execute(uri: "/?service=stun", method: .get, headers: headers)
            #expect(wrongService.errorCode == "bad_request")
            let noToken = try await client.execute(uri: "/?service=turn", method: .get)
            #expect(noToken.errorCode == "missing_token")
        }
    }
}
