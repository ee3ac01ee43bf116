import Hummingbird
import NIOCore

/// `GET /healthz`, `GET /readyz` and `GET /metrics`; `/readyz`, which asks the relay, runs
/// within the request time limit.
struct HealthRoutes: Sendable {
    let core: GatewayCore

    private struct Status: Encodable {
        var status: String
    }

    func register(on router: Router<GatewayRequestContext>) {
        router.get(RouterPath(GatewayRoutes.health)) { _, _ in
            JSONResponse.make(status: .ok, body: Status(status: "ok"))
        }
        router.get(RouterPath(GatewayRoutes.ready)) { _, _ in
            let relay = self.core.relay
            return try await TimeLimit.run(self.core.settings.configuration.requestTimeLimit) {
                let readiness = await relay.readiness()
                return JSONResponse.make(
                    status: readiness == .ready ? .ok : .serviceUnavailable, body: Status(status: readiness.rawValue))
            }
        }
        router.get(RouterPath(GatewayRoutes.metrics)) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: self.core.metricsText())))
        }
    }
}
