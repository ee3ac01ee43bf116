import Foundation
import Hummingbird
import HummingbirdTesting
import IPAddressing
import TURNAuth
import Testing

@testable import GatewayAPI

/// `GET /ice-test`: served only with `ice-test-page`, only on the API listener, with a strict
/// content security policy whose nonce the page's script and style carry.
struct IceTestPageTests {
    static func harness(_ configure: @escaping (inout GatewayConfiguration) -> Void = { _ in }) async throws -> Harness {
        try await Harness.make {
            $0.iceTestPage = true
            configure(&$0)
        }
    }

    static func fetch(_ client: any TestClientProtocol) async throws -> TestResponse {
        try await client.execute(uri: "/ice-test", method: .get)
    }

    /// The nonce of the policy's `script-src`.
    static func nonce(in policy: String) throws -> String {
        let directive = try #require(policy.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("script-src ") })
        #expect(directive.hasPrefix("script-src 'nonce-") && directive.hasSuffix("'"), "\(directive)")
        return String(directive.dropFirst("script-src 'nonce-".count).dropLast())
    }

    @Test
    func isNotFoundWhileOff() async throws {
        let harness = try await Harness.make()
        try await harness.test { client in
            let response = try await Self.fetch(client)
            #expect(response.status == .notFound)
            #expect(response.errorCode == "not_found")
            #expect(response.headers[.contentSecurityPolicy] == nil)
        }
    }

    @Test
    func isServedWithItsHeadersWhileOn() async throws {
        let harness = try await Self.harness()
        try await harness.test { client in
            let response = try await Self.fetch(client)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.headers[.cacheControl] == "no-store")
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            #expect(response.headers[try Harness.header("Referrer-Policy")] == "no-referrer")
            let policy = try #require(response.headers[.contentSecurityPolicy])
            let nonce = try Self.nonce(in: policy)
            #expect(Data(base64Encoded: nonce)?.count == 16)
            #expect(
                policy
                    == "default-src 'self'; script-src 'nonce-\(nonce)'; style-src 'nonce-\(nonce)'; img-src 'self' data:; "
                    + "connect-src 'self' ws://localhost wss://localhost; object-src 'none'; base-uri 'none'; form-action 'none'; "
                    + "frame-ancestors 'self'")
            let page = String(buffer: response.body)
            #expect(page.contains("<script nonce=\"\(nonce)\">"))
            #expect(page.contains("<style nonce=\"\(nonce)\">"))
            #expect(!page.contains(IceTestPage.noncePlaceholder))

            let again = try await Self.fetch(client)
            #expect(try Self.nonce(in: try #require(again.headers[.contentSecurityPolicy])) != nonce)
        }
        #expect(harness.counter("turngate_gateway_requests_total", [("route", "/ice-test"), ("status", "200")]) == 2)
    }

    @Test
    func pageHasTheControlsAndNothingExternal() async throws {
        let harness = try await Self.harness()
        try await harness.test { client in
            let page = String(buffer: try await Self.fetch(client).body)
            let controls = [
                "mode-jwt", "mode-secret", "jwt", "fetch-credentials", "secret", "user", "ttl", "separator", "mint-credentials", "uris",
                "relay-only", "gather", "gather-status", "candidates", "candidate-errors", "relay-test", "verdict", "verdict-reason",
                "pair-room", "pair-video", "pair-start", "pair-verdict", "pair-reason", "pair-remote-video", "pair-log",
            ]
            for id in controls {
                #expect(page.contains("id=\"\(id)\""), "no element with id \(id)")
            }
            for column in ["Time", "Component", "Type", "Foundation", "Protocol", "Address", "Port", "Priority", "Relay protocol", "URL"] {
                #expect(page.contains("<th>\(column)</th>"), "no \(column) column")
            }
            for expected in [
                "/v1/turn/credentials", "crypto.subtle", "\"HMAC\"", "iceTransportPolicy: \"relay\"", "icecandidateerror",
                "document.body.dataset.result", "turngateIceTest", "autorun", "RELAY_TIMEOUT_MS = 12000",
                "/v1/signal", "\"authenticate\"", "peer-joined", "getUserMedia", "document.body.dataset.pairResult", "turngateIceTestPair",
            ] {
                #expect(page.contains(expected), "the page lacks \(expected)")
            }
            // Nothing from the address is ever parsed as HTML, and nothing is loaded from elsewhere.
            for forbidden in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "src=\"http", "href=\"http", "//cdn"] {
                #expect(!page.contains(forbidden), "the page contains \(forbidden)")
            }
        }
    }

    @Test(arguments: [
        ([String](), "frame-ancestors 'self'"),
        (["https://ops.example.com", "http://127.0.0.1:8000"], "frame-ancestors 'self' http://127.0.0.1:8000 https://ops.example.com"),
        (["https://ops.example.com", "*"], "frame-ancestors *"),
        (["https://ops.example.com; script-src *"], "frame-ancestors 'self'"),
    ])
    func isFramedByTheCORSOriginsOnly(origins: [String], directive: String) async throws {
        let harness = try await Self.harness { $0.corsOrigins = origins }
        try await harness.test { client in
            let policy = try #require(try await Self.fetch(client).headers[.contentSecurityPolicy])
            #expect(policy.hasSuffix("; \(directive)"), "\(policy)")
            #expect(policy.components(separatedBy: "script-src").count == 2, "\(policy)")
        }
    }

    /// The two-party test's WebSocket goes to the request's host; a host CSP cannot name, or
    /// one that would add to the policy, leaves `'self'` alone.
    @Test(arguments: [
        ("127.0.0.1:8443", "connect-src 'self' ws://127.0.0.1:8443 wss://127.0.0.1:8443"),
        ("turn.example.com", "connect-src 'self' ws://turn.example.com wss://turn.example.com"),
        ("[::1]:8443", "connect-src 'self'"),
        ("turn.example.com:8443; script-src *", "connect-src 'self'"),
        ("turn.example.com 'unsafe-inline'", "connect-src 'self'"),
        ("turn.example.com:", "connect-src 'self'"),
        ("turn..example.com", "connect-src 'self'"),
        ("", "connect-src 'self'"),
    ])
    func connectsToItsOwnHostOnly(authority: String, directive: String) {
        let policy = IceTestRoutes.contentSecurityPolicy(nonce: "n", frameAncestors: [], authority: authority)
        let connect = policy.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("connect-src") }
        #expect(connect == [directive], "\(policy)")
        #expect(policy.components(separatedBy: "script-src").count == 2, "\(policy)")
    }

    @Test
    func isNotServedOnTheAdminListener() async throws {
        let harness = try await Self.harness {
            $0.adminToken = CredentialSecret(AdminTests.adminToken)
            $0.adminPort = 8444
        }
        let admin = try #require(harness.gateway.makeAdminRouter())
        try await Application(router: admin).test(.router) { client in
            let response = try await Self.fetch(client)
            #expect(response.status == .notFound)
            #expect(response.errorCode == "not_found")
            let authorized = try await client.execute(uri: "/ice-test", method: .get, headers: AdminTests.auth)
            #expect(authorized.status == .notFound)
        }
        try await harness.test { client in
            let response = try await Self.fetch(client)
            #expect(response.status == .ok)
        }
    }

    @Test
    func followsAReload() async throws {
        let harness = try await Harness.make()
        try await harness.test { client in
            #expect(try await Self.fetch(client).status == .notFound)
            var configuration = Harness.configuration()
            configuration.iceTestPage = true
            try await harness.gateway.reload(configuration)
            #expect(try await Self.fetch(client).status == .ok)
            configuration.iceTestPage = false
            try await harness.gateway.reload(configuration)
            #expect(try await Self.fetch(client).status == .notFound)
        }
    }

    @Test
    func obeysTheIPRules() async throws {
        // An in-process client has no address: with an allowed range, it is refused.
        let range = try IPAddressRange(parsing: "10.0.0.0/8")
        let harness = try await Self.harness { $0.allowedRanges = [range] }
        try await harness.test { client in
            let response = try await Self.fetch(client)
            #expect(response.status == .forbidden)
            #expect(response.errorCode == "ip_denied")
        }
    }
}
