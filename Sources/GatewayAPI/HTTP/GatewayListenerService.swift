import ServiceLifecycle

/// One listener of the gateway (a Hummingbird application on one address and port): when it
/// fails, as when its port is taken, the error names the listener, so the node's last words
/// say which address could not be served.
struct GatewayListenerService: Service, CustomStringConvertible {
    let application: any Service
    /// `host:port`, as configured.
    let address: String

    var description: String { "gateway listener \(self.address)" }

    func run() async throws {
        do {
            try await self.application.run()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw GatewayListenerError(address: self.address, reason: "\(error)")
        }
    }
}

/// A gateway listener could not listen or stopped with an error.
struct GatewayListenerError: Error, CustomStringConvertible {
    let address: String
    let reason: String

    var description: String { "cannot serve the gateway on TCP \(self.address): \(self.reason)" }
}
