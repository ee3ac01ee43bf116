import Foundation
import GatewayAPI
import Hummingbird
import HummingbirdTesting
import Testing

/// Every way a token is refused gives 401 with its code and challenge, and is counted.
struct TokenRejectionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var code: String
        var token: @Sendable (Date) async throws -> String?
        var testDescription: String { self.code }
    }

    static let issuer = "https://issuer.example"

    static func claims(_ now: Date, _ change: (inout [String: ClaimValue]) -> Void = { _ in }) -> TestClaims {
        var claims = TestClaims.valid(now: now, extra: ["iss": .string(issuer), "aud": .strings(["turn"]), "type": .string("webrtc")])
        change(&claims.values)
        return claims
    }

    static func seconds(_ now: Date, _ offset: Int) -> ClaimValue { .number(Int(now.timeIntervalSince1970) + offset) }

    static let cases: [Case] = [
        Case(code: "missing_token") { _ in nil },
        Case(code: "malformed_token") { _ in "not-a.jwt" },
        Case(code: "unsupported_algorithm") { now in
            try TestKeys.handmade(header: #"{"alg":"none"}"#, claims: claims(now), hmacKey: nil)
        },
        Case(code: "bad_signature") { now in
            try TestKeys.handmade(header: #"{"alg":"HS256"}"#, claims: claims(now), hmacKey: Array("wrong-secret".utf8))
        },
        Case(code: "unknown_key") { now in try await TestKeys.token(claims(now), algorithm: "RS256", kid: "no-such-key") },
        Case(code: "expired") { now in try await TestKeys.hs256(claims(now) { $0["exp"] = seconds(now, -61); $0["iat"] = seconds(now, -600) }) },
        Case(code: "not_yet_valid") { now in try await TestKeys.hs256(claims(now) { $0["nbf"] = seconds(now, 120) }) },
        Case(code: "issued_in_future") { now in try await TestKeys.hs256(claims(now) { $0["iat"] = seconds(now, 120) }) },
        Case(code: "wrong_issuer") { now in try await TestKeys.hs256(claims(now) { $0["iss"] = .string("https://evil.example") }) },
        Case(code: "wrong_audience") { now in try await TestKeys.hs256(claims(now) { $0["aud"] = .string("other") }) },
        Case(code: "lifetime_too_long") { now in try await TestKeys.hs256(claims(now) { $0["exp"] = seconds(now, 2 * 86_400) }) },
        Case(code: "missing_claim") { now in try await TestKeys.hs256(claims(now) { $0["type"] = nil }) },
        Case(code: "no_user") { now in try await TestKeys.hs256(claims(now) { $0["sub"] = nil }) },
    ]

    static func harness() async throws -> Harness {
        let jwks = try TestKeys.jwks(rsaKid: "rsa-1", p256Kid: nil, p384Kid: nil, ed25519Kid: nil)
        let path = try TempFiles.write(jwks, name: "jwks.json")
        return try await Harness.make {
            $0.jwt.jwksFile = path
            $0.jwt.issuers = [issuer]
            $0.jwt.audiences = ["turn"]
            $0.jwt.requiredClaims = [RequiredClaim(name: "type", value: "webrtc")]
        }
    }

    @Test(arguments: cases)
    func refusesWithItsCode(_ rejection: Case) async throws {
        let harness = try await Self.harness()
        let token = try await rejection.token(harness.clock.now)
        try await harness.test { client in
            let response = try await Harness.credentials(client, token: token)
            #expect(response.status == .unauthorized)
            #expect(response.errorCode == rejection.code)
            let challenge =
                rejection.code == "missing_token"
                ? #"Bearer realm="turngate""# : #"Bearer error="invalid_token", error_description="\#(rejection.code)""#
            #expect(response.headers[.wwwAuthenticate] == challenge)
            #expect(response.headers[try Harness.header("RateLimit-Remaining")] != nil)
        }
        #expect(harness.counter("turngate_gateway_token_rejections_total", [("reason", rejection.code)]) == 1)
        #expect(harness.counter("turngate_gateway_credentials_issued_total") == 0)
    }

    @Test
    func theValidBaseTokenIsAccepted() async throws {
        let harness = try await Self.harness()
        let token = try await TestKeys.hs256(Self.claims(harness.clock.now))
        try await harness.test { client in
            let answer101 = try await Harness.credentials(client, token: token)
            #expect(answer101.status == .ok)
        }
        #expect(harness.counter("turngate_gateway_credentials_issued_total") == 1)
    }

    @Test
    func aTokenWithoutExpiryIsRefused() async throws {
        let harness = try await Self.harness()
        let token = try await TestKeys.hs256(Self.claims(harness.clock.now) { $0["exp"] = nil })
        try await harness.test { client in
            let answer1 = try await Harness.credentials(client, token: token)
            #expect(answer1.errorCode == "missing_claim")
        }
    }

    @Test
    func leewayAcceptsSlightlyExpiredTokensAndUserIdFallback() async throws {
        let harness = try await Self.harness()
        let now = harness.clock.now
        let token = try await TestKeys.hs256(
            Self.claims(now) {
                $0["exp"] = Self.seconds(now, -30)
                $0["iat"] = Self.seconds(now, -600)
                $0["sub"] = nil
                $0["userId"] = .string("bob")
            })
        try await harness.test { client in
            let response = try await Harness.credentials(client, token: token)
            #expect(response.status == .ok)
            #expect(try response.json["userId"] as? String == "bob")
        }
    }
}
