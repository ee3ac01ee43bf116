import ServiceLifecycle

/// The hub's clock: once a second, closes sockets past their deadlines (``SignalHub/sweep(now:)``);
/// every ``renewalInterval``, renews this node's room places on the bus; and delivers what other
/// nodes publish. Ends on graceful shutdown.
struct SignalSweepService: Service {
    let hub: SignalHub
    let clock: GatewayClock

    /// How often places on the bus are renewed; a place lapses after three times this.
    static let renewalInterval = Duration.seconds(20)

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.hub.relayBusMessages() }
            try? await cancelWhenGracefulShutdown {
                var sinceRenewal = Duration.zero
                while true {
                    try await Task.sleep(for: .seconds(1))
                    self.hub.sweep(now: self.clock.now())
                    sinceRenewal += .seconds(1)
                    if sinceRenewal >= Self.renewalInterval {
                        sinceRenewal = .zero
                        await self.hub.renewPlaces()
                    }
                }
            }
            group.cancelAll()
        }
    }
}
