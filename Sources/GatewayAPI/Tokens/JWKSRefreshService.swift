import ServiceLifecycle

/// Fetches the JWKS URL in force every ``RemoteKeySet/refreshInterval``, so that keys the
/// issuer removed stop being accepted even when no token names an unknown `kid`. Idle while no
/// JWKS URL is configured; ends on graceful shutdown.
struct JWKSRefreshService: Service {
    let core: GatewayCore

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    try await Task.sleep(for: RemoteKeySet.refreshInterval)
                    if let remote = self.core.settings.verifier.remote {
                        await remote.refresh(now: self.core.clock.now())
                    }
                }
            }
        } catch is CancellationError {
            return
        }
    }
}
