import Foundation
import GatewayAPI
import IPAddressing
import Hummingbird
import HummingbirdTesting
import TURNAuth
import Testing

/// `Gateway.reload(_:)`: what changes live, and that a refused configuration changes nothing.
struct ReloadTests {
    static let secretB = "rest-secret-after-reload"
    static let newJWTSecret = "another-hmac-secret-for-reload-tests-0123456789"

    @Test
    func mintedPasswordsFollowTheReloadedSecret() async throws {
        let harness = try await Harness.make()
        let token = try await TestKeys.hs256(.valid(now: harness.clock.now))
        try await harness.test { client in
            let before = try await Harness.credentials(client, token: token).json
            let username = try #require(before["username"] as? String)
            #expect(before["password"] as? String == RESTCredential.password(for: username, secret: Harness.restSecret))
            var configuration = Harness.configuration()
            configuration.restSecret = CredentialSecret(Self.secretB)
            configuration.turnURIs = ["turns:relay.example:5349"]
            configuration.port = 9999
            configuration.connectionLimit = 64
            let needRestart = try await harness.gateway.reload(configuration)
            #expect(needRestart == ["api-listening-port", "api-connection-limit"])
            let after = try await Harness.credentials(client, token: token)
            let json = try after.json
            let reloadedName = try #require(json["username"] as? String)
            #expect(json["password"] as? String == RESTCredential.password(for: reloadedName, secret: Self.secretB))
            #expect(json["uris"] as? [String] == ["turns:relay.example:5349"])
            #expect(after.headers[try Harness.header("RateLimit-Remaining")] == "48", "unchanged limits keep their counters")
        }
    }

    @Test
    func tokensOfTheOldJWTSecretAreRefusedAfterReload() async throws {
        let harness = try await Harness.make()
        let old = try await TestKeys.hs256(.valid(now: harness.clock.now))
        var configuration = Harness.configuration()
        configuration.jwt.hmacSecrets = [CredentialSecret(Self.newJWTSecret)]
        try await harness.gateway.reload(configuration)
        let fresh = try TestKeys.handmade(
            header: #"{"alg":"HS256"}"#, claims: .valid(now: harness.clock.now), hmacKey: Array(Self.newJWTSecret.utf8))
        try await harness.test { client in
            let refused = try await Harness.credentials(client, token: old)
            #expect(refused.errorCode == "bad_signature")
            let accepted = try await Harness.credentials(client, token: fresh)
            #expect(accepted.status == .ok)
        }
    }

    @Test
    func aReloadWithAnUnreadablePEMChangesNothing() async throws {
        let files = try TempFiles.publicKeyFiles()
        let harness = try await Harness.make { $0.jwt.publicKeyFiles = files }
        var broken = Harness.configuration()
        broken.jwt.publicKeyFiles = ["/nonexistent/key.pem"]
        broken.restSecret = CredentialSecret(Self.secretB)
        let error = await #expect(throws: GatewayConfigurationError.self) { try await harness.gateway.reload(broken) }
        #expect(error?.description.contains("jwt-public-key-file") == true)
        let token = try await TestKeys.token(.valid(now: harness.clock.now), algorithm: "ES256")
        try await harness.test { client in
            let json = try await Harness.credentials(client, token: token).json
            let username = try #require(json["username"] as? String)
            #expect(json["password"] as? String == RESTCredential.password(for: username, secret: Harness.restSecret))
        }
    }

    @Test
    func rateLimitsIPRulesCORSAndTheAdminTokenChangeLive() async throws {
        let harness = try await Harness.make()
        let token = try await TestKeys.hs256(.valid(now: harness.clock.now))
        try await harness.test { client in
            let limited = try await Harness.credentials(client, token: token)
            #expect(limited.headers[try Harness.header("RateLimit-Limit")] == "50")
            var configuration = Harness.configuration()
            configuration.rateLimit = nil
            configuration.corsOrigins = ["https://app.example"]
            configuration.adminToken = CredentialSecret(AdminTests.adminToken)
            try await harness.gateway.reload(configuration)
            let unlimited = try await client.execute(
                uri: "/v1/turn/credentials", method: .post, headers: [.authorization: "Bearer \(token)", .origin: "https://app.example"])
            #expect(unlimited.status == .ok)
            #expect(unlimited.headers[try Harness.header("RateLimit-Limit")] == nil)
            #expect(unlimited.headers[.accessControlAllowOrigin] == "https://app.example")
            let admin = try await client.execute(uri: "/v1/admin/revocations", method: .get, headers: AdminTests.auth)
            #expect(admin.status == .ok)
        }
        var denying = Harness.configuration()
        denying.deniedRanges = [try IPAddressRange(parsing: "127.0.0.0/8")]
        try await harness.gateway.reload(denying)
        try await Application(router: harness.gateway.makeAPIRouter()).test(.live) { client in
            let response = try await client.execute(uri: "/v1/turn/credentials", method: .post)
            #expect(response.errorCode == "ip_denied")
        }
    }
}
