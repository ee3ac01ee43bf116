import GatewayAPI
import Hummingbird
import HummingbirdTesting
import TURNAuth
import Testing

/// Security events are logged without ever writing a token or secret.
struct SecurityLogTests {
    @Test
    func rejectedTokensAndAdminTokensNeverReachTheLogs() async throws {
        let adminToken = "admin-secret-token-9876-0123456789"
        let harness = try await Harness.make { $0.adminToken = CredentialSecret(adminToken) }
        let now = harness.clock.now
        let expired = try await TestKeys.hs256(.valid(now: now, extra: ["exp": .number(Int(now.timeIntervalSince1970) - 3600)]))
        let forged = try TestKeys.handmade(header: #"{"alg":"HS256"}"#, claims: .valid(now: now), hmacKey: Array("guess".utf8))
        let garbage = "GARBAGE-TOKEN-TEXT-12345"
        let wrongAdmin = "wrong-admin-token-5555"
        try await harness.test { client in
            for token in [expired, forged, garbage] {
                let response = try await Harness.credentials(client, token: token)
                #expect(response.status == .unauthorized)
                #expect(!String(buffer: response.body).contains(token))
            }
            _ = try await client.execute(uri: "/v1/admin/allocations", method: .get, headers: [.authorization: "Bearer \(wrongAdmin)"])
            _ = try await client.execute(uri: "/v1/admin/drain", method: .post, headers: [.authorization: "Bearer \(adminToken)"])
        }
        let lines = harness.logs.text
        #expect(harness.logs.events("token_rejected").count == 3)
        #expect(harness.logs.events("admin_auth_failed").count == 1)
        #expect(harness.logs.events("drain").count == 1)
        #expect(lines.allSatisfy { $0.contains("turngate.security") || !$0.contains("event=") })
        for secret in [expired, forged, garbage, wrongAdmin, adminToken, TestKeys.hmacSecret, Harness.restSecret] {
            #expect(!lines.contains { $0.contains(secret) })
        }
    }

    @Test
    func configurationSecretsAreRedacted() {
        let configuration = Harness.configuration()
        #expect(!"\(configuration)".contains(Harness.restSecret))
        #expect(!"\(configuration)".contains(TestKeys.hmacSecret))
    }
}
