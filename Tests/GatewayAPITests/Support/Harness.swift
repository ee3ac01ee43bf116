import Foundation
import GatewayAPI
import Hummingbird
import HummingbirdTesting
import Logging
import MetricsTestKit
import Testing
import TURNAuth

/// A gateway wired to test doubles: a scripted clock, a recording relay, captured logs and
/// recorded metrics.
struct Harness: Sendable {
    static let restSecret = "rest-secret-for-tests"
    static let uris = ["turn:turn.example.com:3478?transport=udp"]

    let clock: TestClock
    let relay: FakeRelay
    let revocations: RevocationList
    let metrics: TestMetrics
    let logs: LogCapture
    let gateway: Gateway

    /// A configuration with the HMAC test secret and the documented defaults.
    static func configuration() -> GatewayConfiguration {
        GatewayConfiguration(
            port: 8443, jwt: JWTSettings(hmacSecrets: [CredentialSecret(TestKeys.hmacSecret)]),
            restSecret: CredentialSecret(Self.restSecret), turnURIs: Self.uris)
    }

    static func make(
        relay: FakeRelay = FakeRelay(), clock: TestClock = TestClock(),
        _ configure: (inout GatewayConfiguration) throws -> Void = { _ in }
    ) async throws -> Harness {
        var configuration = Self.configuration()
        try configure(&configuration)
        let metrics = TestMetrics()
        let logs = LogCapture()
        let revocations = RevocationList()
        let gateway = try await Gateway(
            configuration: configuration, relay: relay, revocations: revocations, metricsFactory: metrics,
            logger: logs.logger(label: "turngate.gateway"), securityLogger: logs.logger(label: "turngate.security"),
            metricsText: { "turngate_up 1\n" }, clock: clock.gatewayClock)
        return Harness(clock: clock, relay: relay, revocations: revocations, metrics: metrics, logs: logs, gateway: gateway)
    }

    /// Runs `body` against the API router in process.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await Application(router: self.gateway.makeAPIRouter()).test(.router) { client in try await body(client) }
    }

    /// `POST /v1/turn/credentials` with `token` and an optional JSON body.
    static func credentials(_ client: any TestClientProtocol, token: String?, body: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(
            uri: "/v1/turn/credentials", method: .post, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// The name of a header field.
    static func header(_ name: String) throws -> HTTPFields.Element.Name {
        try #require(HTTPFields.Element.Name(name))
    }

    /// The counter value of `label` with `dimensions`, 0 when never created.
    func counter(_ label: String, _ dimensions: [(String, String)] = []) -> Int64 {
        self.metrics.counterTotal(label: label, dimensions: dimensions)
    }
}

extension TestResponse {
    /// The body as a JSON object.
    var json: [String: Any] {
        get throws {
            let object = try JSONSerialization.jsonObject(with: Data(buffer: self.body))
            return try #require(object as? [String: Any])
        }
    }

    /// The `error` code of an error body.
    var errorCode: String? { (try? self.json)?["error"] as? String }
}
