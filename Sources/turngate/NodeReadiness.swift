import CoreMetrics
import GatewayAPI
import ServiceLifecycle
import TURNServer

/// Whether the node should get new clients: what `/readyz` answers and `turn_readiness` shows.
///
/// Not ready while a listener is lost (the node stops shortly), while draining, before every
/// listener is bound, and while a required Redis (`redis-optional` not set) cannot be reached.
struct NodeReadiness: Sendable {
    let server: TURNServerService
    /// The cluster, when Redis is configured.
    let cluster: ClusterService?

    /// The state now; the first that applies, in the order of the cases below.
    func current() -> RelayReadiness {
        if self.server.hasLostListener { return .listenerDown }
        if self.server.drainSwitch.isDraining { return .draining }
        guard self.server.isReady else { return .starting }
        if let cluster, !cluster.requiredRedisReachable { return .redisUnreachable }
        return .ready
    }
}

/// `turn_readiness{state}`: 1 for the node's current readiness state, 0 for the others,
/// refreshed every second until graceful shutdown.
struct ReadinessReporter: Service {
    let readiness: NodeReadiness
    let factory: any MetricsFactory

    func run() async throws {
        let gauges = RelayReadiness.allCases.map { state in
            (state, Gauge(label: "turn_readiness", dimensions: [("state", state.rawValue)], factory: self.factory))
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let now = self.readiness.current()
                for (state, gauge) in gauges {
                    gauge.record(state == now ? 1 : 0)
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
