import Foundation
import GatewayAPI
import Hummingbird
import JWTKit
import HummingbirdTesting
import Testing

/// Every accepted algorithm, from each key source: secrets, PEM files, a JWKS file.
struct TokenAlgorithmTests {
    @Test(arguments: TestKeys.algorithms)
    func acceptsTokensSignedWithConfiguredSecretsAndPEMFiles(algorithm: String) async throws {
        let files = try TempFiles.publicKeyFiles()
        let harness = try await Harness.make { $0.jwt.publicKeyFiles = files }
        let token = try await TestKeys.token(.valid(now: harness.clock.now), algorithm: algorithm)
        try await harness.test { client in
            let response = try await Harness.credentials(client, token: token)
            #expect(response.status == .ok)
            #expect(try response.json["userId"] as? String == "alice")
        }
    }

    @Test(arguments: ["RS256", "PS384", "RS512", "ES256", "ES384", "EdDSA"])
    func acceptsTokensWhoseKidIsInTheJWKSFile(algorithm: String) async throws {
        let jwks = try TestKeys.jwks(rsaKid: "rsa-1", p256Kid: "p256-1", p384Kid: "p384-1", ed25519Kid: "ed-1")
        let path = try TempFiles.write(jwks, name: "jwks.json")
        let harness = try await Harness.make {
            $0.jwt.hmacSecrets = []
            $0.jwt.jwksFile = path
        }
        let kid = ["RS": "rsa-1", "PS": "rsa-1", "Ed": "ed-1"][String(algorithm.prefix(2))] ?? (algorithm == "ES256" ? "p256-1" : "p384-1")
        let token = try await TestKeys.token(.valid(now: harness.clock.now), algorithm: algorithm, kid: kid)
        try await harness.test { client in
            let answer107 = try await Harness.credentials(client, token: token)
            #expect(answer107.status == .ok)
        }
    }

    @Test
    func refusesAnHMACTokenKeyedWithTheRSAPublicKey() async throws {
        let files = try TempFiles.publicKeyFiles()
        let pemOnly = try await Harness.make {
            $0.jwt.hmacSecrets = []
            $0.jwt.publicKeyFiles = files
        }
        let withSecret = try await Harness.make { $0.jwt.publicKeyFiles = files }
        let claims = TestClaims.valid(now: pemOnly.clock.now)
        let confused = try TestKeys.handmade(
            header: #"{"alg":"HS256","typ":"JWT"}"#, claims: claims, hmacKey: Array(TestKeys.rsaPEM.utf8))
        try await pemOnly.test { client in
            let response = try await Harness.credentials(client, token: confused)
            #expect(response.status == .unauthorized)
            #expect(response.errorCode == "unsupported_algorithm")
        }
        try await withSecret.test { client in
            let response = try await Harness.credentials(client, token: confused)
            #expect(response.status == .unauthorized)
            #expect(response.errorCode == "bad_signature")
        }
    }

    @Test
    func refusesATokenSignedByAnotherRSAKey() async throws {
        let files = try TempFiles.publicKeyFiles()
        let harness = try await Harness.make { $0.jwt.publicKeyFiles = files }
        let keys = JWTKeyCollection()
        await keys.add(rsa: TestKeys.otherRSA, digestAlgorithm: .sha256)
        let token = try await keys.sign(TestClaims.valid(now: harness.clock.now))
        try await harness.test { client in
            let answer3 = try await Harness.credentials(client, token: token)
            #expect(answer3.errorCode == "bad_signature")
        }
    }
}
