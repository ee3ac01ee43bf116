import Foundation
@testable import GatewayAPI
import Hummingbird
import HummingbirdTesting
import IPAddressing
import Testing

/// Rate limits, IP rules, CORS and the body limit.
struct LimitsTests {
    @Test
    func the51stRequestInTheWindowIsRateLimited() async throws {
        let harness = try await Harness.make()
        let token = try await TestKeys.hs256(.valid(now: harness.clock.now))
        try await harness.test { client in
            for index in 1...50 {
                let response = try await Harness.credentials(client, token: token)
                #expect(response.status == .ok)
                #expect(response.headers[try Harness.header("RateLimit-Remaining")] == String(50 - index))
            }
            let refused = try await Harness.credentials(client, token: token)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.errorCode == "rate_limited")
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
            // All 50 came at one instant: the window frees a slot when they are a minute old.
            #expect(retryAfter == 60)
            #expect(refused.headers[try Harness.header("RateLimit-Remaining")] == "0")
            harness.clock.advance(by: 30)
            #expect(try await Harness.credentials(client, token: token).status == .tooManyRequests)
            harness.clock.advance(by: TimeInterval(retryAfter - 30))
            let answer102 = try await Harness.credentials(client, token: token)
            #expect(answer102.status == .ok)
        }
        #expect(harness.counter("turngate_gateway_rate_limited_total", [("scope", "ip")]) == 2)
        // Both counted; one line: rate-limited requests are logged at most once a second.
        #expect(harness.logs.events("rate_limited").count == 1)
    }

    @Test
    func eachUserHasItsOwnLimitToo() async throws {
        let harness = try await Harness.make { $0.rateLimit = RateLimit(count: 2, windowSeconds: 60) }
        let token = try await TestKeys.hs256(.valid(now: harness.clock.now))
        try await harness.test { client in
            let answer103 = try await Harness.credentials(client, token: token)
            #expect(answer103.status == .ok)
            let answer104 = try await Harness.credentials(client, token: token)
            #expect(answer104.status == .ok)
            let answer105 = try await Harness.credentials(client, token: token)
            #expect(answer105.status == .tooManyRequests)
        }
        #expect(harness.counter("turngate_gateway_rate_limited_total", [("scope", "ip")]) == 1)
    }

    @Test
    func deniedAndUnlistedAddressesAreRefusedExceptForHealthChecks() async throws {
        let denied = try await Harness.make { $0.deniedRanges = [try IPAddressRange(parsing: "127.0.0.0/8")] }
        let unlisted = try await Harness.make { $0.allowedRanges = [try IPAddressRange(parsing: "10.0.0.0/8")] }
        let allowed = try await Harness.make { $0.allowedRanges = [try IPAddressRange(parsing: "127.0.0.1")] }
        for harness in [denied, unlisted] {
            try await Application(router: harness.gateway.makeAPIRouter()).test(.live) { client in
                let response = try await client.execute(uri: "/v1/turn/credentials", method: .post)
                #expect(response.status == .forbidden)
                #expect(response.errorCode == "ip_denied")
                let answer106 = try await client.execute(uri: "/healthz", method: .get)
                #expect(answer106.status == .ok)
            }
            #expect(harness.logs.events("ip_denied").first?.contains("turn.client=127.0.0.1") == true)
        }
        try await Application(router: allowed.gateway.makeAPIRouter()).test(.live) { client in
            let answer2 = try await client.execute(uri: "/v1/turn/credentials", method: .post)
            #expect(answer2.errorCode == "missing_token")
        }
    }

    @Test
    func corsPreflightIsAnsweredForAllowedOrigins() async throws {
        let harness = try await Harness.make { $0.corsOrigins = ["https://app.example"] }
        try await harness.test { client in
            let preflight = try await client.execute(
                uri: "/v1/turn/credentials", method: .options,
                headers: [.origin: "https://app.example", .accessControlRequestMethod: "POST"])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://app.example")
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)
            #expect(preflight.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
            #expect(preflight.headers[.accessControlMaxAge] != nil)
            let foreign = try await client.execute(
                uri: "/v1/turn/credentials", method: .options,
                headers: [.origin: "https://evil.example", .accessControlRequestMethod: "POST"])
            #expect(foreign.headers[.accessControlAllowOrigin] == nil)
            let plain = try await client.execute(uri: "/healthz", method: .get, headers: [.origin: "https://app.example"])
            #expect(plain.headers[.accessControlAllowOrigin] == "https://app.example")
        }
    }

    @Test
    func bodiesOver16KiBAreRefused() async throws {
        let harness = try await Harness.make()
        let token = try await TestKeys.hs256(.valid(now: harness.clock.now))
        let large = #"{"roomId": ""# + String(repeating: "x", count: 17 * 1024) + #""}"#
        try await harness.test { client in
            let response = try await Harness.credentials(client, token: token, body: large)
            #expect(response.status == .contentTooLarge)
            #expect(response.errorCode == "body_too_large")
        }
    }
}

/// The limiter itself, with scripted time.
struct RateLimiterTests {
    /// Whether the IP rules with `range` as the only allowed range let `client` in.
    static func admits(_ range: IPAddressRange, _ client: String) -> Bool {
        IPFilterMiddleware.permits(client, allowed: [range], denied: [])
    }

    @Test
    func rangesMatchIPv4IPv6AndMappedAddresses() throws {
        let v4 = try IPAddressRange(parsing: "192.168.0.0/16")
        #expect(Self.admits(v4, "192.168.44.1"))
        #expect(!Self.admits(v4, "192.169.0.1"))
        #expect(Self.admits(v4, "::ffff:192.168.1.1"))
        let v6 = try IPAddressRange(parsing: "2001:db8::/32")
        #expect(Self.admits(v6, "2001:db8:1::7"))
        #expect(Self.admits(v6, "2001:db8:1::7%eth0"))
        #expect(!Self.admits(v6, "2001:db9::1"))
        #expect(!Self.admits(v6, "192.168.1.1"))
        let coturnRange = try IPAddressRange(parsing: "10.0.0.1-10.0.0.9")
        #expect(Self.admits(coturnRange, "10.0.0.9") && !Self.admits(coturnRange, "10.0.0.10"))
        #expect(try IPAddressRange(parsing: "10.0.0.0/8").description == "10.0.0.0/8")
        #expect(throws: IPAddressParseError.hostBitsSet) { try IPAddressRange(parsing: "10.1.2.3/8") }
        for bad in ["10.0.0.0/33", "::/129", "300.1.1.1", "10.0.0.0/", "abc", "10.0.0.0/-1"] {
            #expect((try? IPAddressRange(parsing: bad)) == nil)
        }
    }
}
