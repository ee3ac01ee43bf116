import GatewayAPI
import Hummingbird
import HummingbirdTesting
import Testing

/// Health, readiness, metrics text, unknown routes and the request metrics.
struct HealthTests {
    @Test(arguments: [(RelayReadiness.starting, 503), (.ready, 200), (.draining, 503)])
    func readinessFollowsTheRelay(readiness: RelayReadiness, status: Int) async throws {
        let harness = try await Harness.make(relay: FakeRelay(readiness: readiness))
        try await harness.test { client in
            let response = try await client.execute(uri: "/readyz", method: .get)
            #expect(response.status.code == status)
            #expect(try response.json["status"] as? String == readiness.rawValue)
        }
    }

    @Test
    func healthMetricsAndUnknownRoutes() async throws {
        let harness = try await Harness.make()
        try await harness.test { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(try health.json["status"] as? String == "ok")
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(String(buffer: metrics.body) == "turngate_up 1\n")
            let unknown = try await client.execute(uri: "/no/such/thing", method: .get)
            #expect(unknown.status == .notFound)
            #expect(unknown.errorCode == "not_found")
        }
        #expect(harness.counter("turngate_gateway_requests_total", [("route", "/healthz"), ("status", "200")]) == 1)
        #expect(harness.counter("turngate_gateway_requests_total", [("route", "other"), ("status", "404")]) == 1)
        #expect(try harness.metrics.expectTimer("turngate_gateway_request_duration_seconds", [("route", "/metrics")]).values.count == 1)
    }
}
