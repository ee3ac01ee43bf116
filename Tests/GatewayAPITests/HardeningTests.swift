import Crypto
import Foundation
@testable import GatewayAPI
import IPAddressing
import Hummingbird
import HummingbirdTesting
import TURNAuth
import Testing

/// The review's hardening: nesting, claim types, sizes, keys per /64, admin throttling,
/// caching, optional rate limits, mapped CIDR ranges, CORS headers, limiter arithmetic.
struct HardeningTests {
    /// A token of raw JSON `header` and `payload`, HS256-signed under the test secret.
    static func raw(header: String = #"{"alg":"HS256"}"#, payload: String) -> String {
        let input = TestKeys.base64URL(Array(header.utf8)) + "." + TestKeys.base64URL(Array(payload.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: Array(TestKeys.hmacSecret.utf8)))
        return input + "." + TestKeys.base64URL(Array(mac))
    }

    /// Valid claims at the harness's start time, as JSON members, plus `extra`.
    static func payload(_ extra: String = "", user: String = "alice") -> String {
        let now = Int(TestClock().now.timeIntervalSince1970)
        return #"{"sub":"\#(user)","iat":\#(now),"exp":\#(now + 3600)\#(extra)}"#
    }

    static func nested(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }

    @Test(.timeLimit(.minutes(1)))
    func deeplyNestedJSONInAHeaderOrPayloadIsMalformed() async throws {
        let harness = try await Harness.make()
        let deepPayload = Self.raw(payload: Self.payload(#","x":\#(Self.nested(500))"#))
        let deepHeader = Self.raw(header: #"{"alg":"HS256","x":\#(Self.nested(500))}"#, payload: Self.payload())
        let shallow = Self.raw(payload: Self.payload(#","x":\#(Self.nested(3))"#))
        try await harness.test { client in
            for token in [deepPayload, deepHeader] {
                let response = try await Harness.credentials(client, token: token)
                #expect(response.errorCode == "malformed_token")
            }
            let accepted = try await Harness.credentials(client, token: shallow)
            #expect(accepted.status == .ok)
        }
        #expect(JSONDepth.exceeds(Array(#"{"a":"[[[[[[[[[[[[[[[["}"#.utf8), limit: 2) == false)
    }

    @Test
    func deeplyNestedJWKSDocumentsAreRefused() async throws {
        let data = Data(#"{"keys":[\#(Self.nested(500))]}"#.utf8)
        await #expect(throws: GatewayConfigurationError.self) { try await KeyLoader.jwksKeys(data) }
    }

    @Test(arguments: [
        #","permissions":42"#, #","permissions":["video",7]"#, #","permissions":{"a":"video"}"#, #","roomId":{"id":"r"}"#,
        #","roomId":true"#, #","roomId":1.5"#,
    ])
    func claimsOfTheWrongTypeAreMalformed(extra: String) async throws {
        let harness = try await Harness.make()
        try await harness.test { client in
            let response = try await Harness.credentials(client, token: Self.raw(payload: Self.payload(extra)))
            #expect(response.status == .unauthorized)
            #expect(response.errorCode == "malformed_token")
        }
    }

    @Test
    func aSinglePermissionStringAndANumericRoomAreAccepted() async throws {
        let harness = try await Harness.make()
        try await harness.test { client in
            let response = try await Harness.credentials(client, token: Self.raw(payload: Self.payload(#","permissions":"video","roomId":42"#)))
            #expect(response.status == .ok)
            #expect(try response.json["roomId"] as? String == "42")
            #expect(try response.json["bandwidthClass"] as? String == "video")
        }
    }

    @Test
    func usersAndRoomsOver128BytesAreRefused() async throws {
        let harness = try await Harness.make()
        let long = String(repeating: "u", count: 129)
        try await harness.test { client in
            let user = try await Harness.credentials(client, token: Self.raw(payload: Self.payload(user: long)))
            #expect(user.errorCode == "malformed_token")
            let room = try await Harness.credentials(client, token: Self.raw(payload: Self.payload(#","roomId":"\#(long)""#)))
            #expect(room.errorCode == "malformed_token")
            let body = try await Harness.credentials(client, token: Self.raw(payload: Self.payload()), body: #"{"roomId":"\#(long)"}"#)
            #expect(body.status == .badRequest)
            let fits = try await Harness.credentials(
                client, token: Self.raw(payload: Self.payload(user: String(long.dropLast()))), body: #"{"roomId":"\#(long.dropLast())"}"#)
            #expect(fits.status == .ok)
        }
    }

    @Test
    func aUsernameOver509BytesIsRefused() async throws {
        let harness = try await Harness.make()
        let escaped = String(repeating: ";", count: 128)
        try await harness.test { client in
            let response = try await Harness.credentials(
                client, token: Self.raw(payload: Self.payload(user: escaped)), body: #"{"roomId":"\#(escaped)"}"#)
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "bad_request")
        }
    }

    @Test(arguments: [
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"), ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.7", "192.0.2.7"), ("192.0.2.7", "192.0.2.7"),
    ])
    func rateLimitKeysGroupIPv6By64(address: String, key: String) {
        #expect(GatewayRequestContext.rateLimitKey(address) == key)
    }

    @Test
    func failedAdminLoginsAreThrottledAndCounted() async throws {
        let harness = try await Harness.make { $0.adminToken = CredentialSecret(AdminTests.adminToken) }
        try await harness.test { client in
            for _ in 1...10 {
                let wrong = try await client.execute(uri: "/v1/admin/drain", method: .post, headers: [.authorization: "Bearer nope"])
                #expect(wrong.status == .unauthorized)
            }
            let throttled = try await client.execute(uri: "/v1/admin/drain", method: .post, headers: AdminTests.auth)
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.headers[.retryAfter] != nil)
            harness.clock.advance(by: 60)
            let allowed = try await client.execute(uri: "/v1/admin/drain", method: .post, headers: AdminTests.auth)
            #expect(allowed.status == .accepted)
        }
        #expect(harness.counter("turngate_gateway_security_events_total", [("event", "admin_auth_failed")]) == 10)
        #expect(harness.logs.events("admin_auth_failed").allSatisfy { $0.contains(" warning ") && $0.contains("turn.event=") })
    }

    @Test
    func shortAdminTokensAreRefusedByValidation() async throws {
        var configuration = Harness.configuration()
        configuration.adminToken = CredentialSecret(String(repeating: "a", count: 31))
        await #expect(throws: GatewayConfigurationError.self) { try await Gateway.validate(configuration) }
        configuration.adminToken = CredentialSecret(String(repeating: "a", count: 32))
        try await Gateway.validate(configuration)
    }

    @Test(arguments: [
        ("http://jwks.example/keys.json", false), ("https://jwks.example/keys.json", true), ("http://127.0.0.1:8080/k", true),
        ("http://localhost/k", true), ("http://[::1]:80/k", true),
    ])
    func jwksURLsMustBeHTTPSExceptOnLoopback(url: String, valid: Bool) async throws {
        var configuration = Harness.configuration()
        configuration.jwt.jwksURL = try #require(URL(string: url))
        if valid {
            try await Gateway.validate(configuration)
        } else {
            await #expect(throws: GatewayConfigurationError.self) { try await Gateway.validate(configuration) }
        }
    }

    @Test(arguments: [(1_000_001, 60, 3600), (1, 86_401, 3600), (0, 60, 3600), (50, 60, 604_801), (50, 60, 0)])
    func outOfRangeLimitsAreRefused(count: Int, window: Int, ttl: Int) async throws {
        var configuration = Harness.configuration()
        configuration.rateLimit = RateLimit(count: count, windowSeconds: window)
        configuration.credentialTTL = ttl
        await #expect(throws: GatewayConfigurationError.self) { try await Gateway.validate(configuration) }
    }

    @Test
    func credentialAndAdminAnswersAreNotStored() async throws {
        let harness = try await Harness.make { $0.adminToken = CredentialSecret(AdminTests.adminToken) }
        let token = try await TestKeys.hs256(.valid(now: harness.clock.now))
        try await harness.test { client in
            let minted = try await Harness.credentials(client, token: token)
            #expect(minted.headers[.cacheControl] == "no-store")
            let refused = try await Harness.credentials(client, token: nil)
            #expect(refused.headers[.cacheControl] == "no-store")
            let admin = try await client.execute(uri: "/v1/admin/revocations", method: .get, headers: AdminTests.auth)
            #expect(admin.headers[.cacheControl] == "no-store")
        }
    }

    @Test
    func withoutARateLimitThereAreNoRateLimitHeaders() async throws {
        let harness = try await Harness.make { $0.rateLimit = nil }
        let token = try await TestKeys.hs256(.valid(now: harness.clock.now))
        try await harness.test { client in
            for _ in 1...60 {
                let response = try await Harness.credentials(client, token: token)
                #expect(response.status == .ok)
                #expect(response.headers[try Harness.header("RateLimit-Limit")] == nil)
            }
        }
    }

    @Test
    func ipv4MappedRangesNeedAPrefixOf96OrMore() throws {
        let all = try IPAddressRange(parsing: "::ffff:0:0/96")
        #expect(RateLimiterTests.admits(all, "203.0.113.9"))
        #expect(RateLimiterTests.admits(all, "::ffff:10.1.2.3"))
        #expect(!RateLimiterTests.admits(all, "2001:db8::1"))
        let ten = try IPAddressRange(parsing: "::ffff:10.0.0.0/104")
        #expect(RateLimiterTests.admits(ten, "10.200.0.1"))
        #expect(!RateLimiterTests.admits(ten, "11.0.0.1"))
        #expect((try? IPAddressRange(parsing: "::ffff:10.0.0.0/95")) == nil)
        #expect((try? IPAddressRange(parsing: "::ffff:10.0.0.0/129")) == nil)
    }

    @Test
    func corsAppendsVaryEverywhereAndSkipsTheAdminListener() async throws {
        let harness = try await Harness.make {
            $0.corsOrigins = ["https://app.example"]
            $0.adminToken = CredentialSecret(AdminTests.adminToken)
            $0.adminPort = 9443
        }
        try await harness.test { client in
            let missing = try await Harness.credentials(client, token: nil)
            #expect(missing.headers[values: .vary].contains("Origin"))
            let unknown = try await client.execute(uri: "/nowhere", method: .get, headers: [.origin: "https://app.example"])
            #expect(unknown.headers[values: .vary].contains("Origin"))
            #expect(unknown.headers[.accessControlAllowOrigin] == "https://app.example")
        }
        let admin = try #require(harness.gateway.makeAdminRouter())
        try await Application(router: admin).test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/admin/allocations", method: .get, headers: AdminTests.auth.merging([.origin: "https://app.example"]))
            #expect(response.status == .ok)
            #expect(response.headers[.accessControlAllowOrigin] == nil)
            #expect(response.headers[.vary] == nil)
        }
    }

    @Test
    func theLimiterSurvivesAbsurdClocksAndStaysBounded() {
        let limiter = RateLimiter(RateLimit(count: 1_000_000, windowSeconds: 1), capacity: 64)
        for date in [Date.distantFuture, Date.distantPast, Date(timeIntervalSince1970: .infinity), Date(timeIntervalSince1970: .nan)] {
            _ = limiter.acquire("k", now: date)
        }
        let now = Date(timeIntervalSince1970: 1_767_225_600)
        for index in 0..<1000 { #expect(limiter.acquire("client-\(index)", now: now).allowed) }
        #expect(limiter.count <= 64)
    }
}

extension HTTPFields {
    fileprivate func merging(_ other: HTTPFields) -> HTTPFields {
        var copy = self
        copy.append(contentsOf: other)
        return copy
    }
}
