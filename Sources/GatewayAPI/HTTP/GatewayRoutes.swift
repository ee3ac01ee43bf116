/// The route templates the gateway serves: the only values of the `route` metric label.
enum GatewayRoutes {
    static let credentials = "/v1/turn/credentials"
    static let restAPI = "/"
    static let health = "/healthz"
    static let ready = "/readyz"
    static let metrics = "/metrics"
    static let iceTest = "/ice-test"
    static let adminAllocations = "/v1/admin/allocations"
    static let adminRevocations = "/v1/admin/revocations"
    static let adminDrain = "/v1/admin/drain"
    static let signal = "/v1/signal"
    static let socketIO = "/socket.io"
    static let other = "other"

    static let all: Set<String> = [
        credentials, restAPI, health, ready, metrics, iceTest, adminAllocations, adminRevocations, adminDrain, signal, socketIO,
    ]

    /// The metric label for a matched route template; `other` for anything else.
    static func label(for endpointPath: String?) -> String {
        guard let endpointPath, Self.all.contains(endpointPath) else { return Self.other }
        return endpointPath
    }

    /// Whether the path is a health check, which the IP rules do not apply to.
    static func isHealthCheck(_ path: String) -> Bool { path == Self.health || path == Self.ready }
}
