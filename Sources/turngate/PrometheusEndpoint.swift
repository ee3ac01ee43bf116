import CoreMetrics
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import ServiceLifecycle
import TURNLogging
import TURNServer

/// Serves every metric in Prometheus' text exposition format at `GET /metrics`
/// (coturn's `prometheus`, `prometheus-port`, `prometheus-address`, `prometheus-path`), over
/// HTTPS only under `prometheus-tls`, with a certificate that reloads as TURN's does.
///
/// A scrape reads the live values: traffic counters advance per packet, not when a session
/// ends. Anything other than `GET /metrics` gets 404 (or 405 for another method on it).
///
/// Limits, so that no client can hold memory or sockets: at most `connectionLimit`
/// connections (more are closed as they arrive, counted in
/// `turngate_metrics_connections_refused_total`), one response in flight per connection (a
/// pipelined request waits until the previous response has left), a connection closed after
/// `idleTimeout` without a complete request, and an accept loop that backs off when accepting
/// fails (at the open-files limit) instead of spinning.
final class PrometheusEndpoint: Service {
    /// Where and how the endpoint listens.
    struct Configuration: Sendable {
        var host: String
        var port: Int
        var connectionLimit: Int
        var idleTimeout: TimeAmount
        /// The path the metrics are served at (`prometheus-path`).
        var path: String
        /// The HTTPS context under `prometheus-tls`; nil for plain HTTP.
        var tls: TLSContextStore?
    }

    private let exposition: MetricsExposition
    private let configuration: Configuration
    private let group: any EventLoopGroup
    private let logger: Logger
    private let refused: Counter
    private let sampler = LogSampler<String>()

    init(exposition: MetricsExposition, configuration: Configuration, group: any EventLoopGroup, factory: any MetricsFactory, logger: Logger) {
        self.exposition = exposition
        self.configuration = configuration
        self.group = group
        self.logger = logger
        self.refused = Counter(label: "turngate_metrics_connections_refused_total", factory: factory)
    }

    func run() async throws {
        let exposition = self.exposition
        let idleTimeout = self.configuration.idleTimeout
        let path = self.configuration.path
        let tls = self.configuration.tls
        let counter = StreamConnectionCounter(total: self.configuration.connectionLimit, perSource: 0)
        let address = "\(self.configuration.host):\(self.configuration.port)"
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: self.group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelInitializer { channel in AcceptFailureHandler.addAcceptBackoff(to: channel) }
                .childChannelInitializer { [self] channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(StreamConnectionLimitHandler(counter: counter) { _, client in
                            self.connectionRefused(client: client, limit: counter.total)
                        })
                        if let tls { try pipeline.addHandler(NIOSSLServerHandler(context: tls.current)) }
                        try pipeline.configureHTTPServerPipeline()
                        try pipeline.addHandler(MetricsHTTPHandler(exposition: exposition, idleTimeout: idleTimeout, path: path))
                    }
                }
                .bind(host: self.configuration.host, port: self.configuration.port)
                .get()
        } catch {
            throw MetricsEndpointError(address: address, reason: "\(error)")
        }
        self.logger.info("metrics endpoint listening", metadata: ["turn.listener": "\(address)", "turn.scheme": "\(tls == nil ? "http" : "https")"])
        // Cancelled too (another service of the group failed): the close future knows
        // nothing of task cancellation, so closing the channel is what ends the wait.
        await withTaskCancellationOrGracefulShutdownHandler {
            try? await channel.closeFuture.get()
        } onCancelOrGracefulShutdown: {
            channel.close(promise: nil)
        }
    }

    private func connectionRefused(client: SocketAddress?, limit: Int) {
        self.refused.increment()
        guard let suppressed = self.sampler.admit("connection_limit", now: .now) else { return }
        var metadata: Logger.Metadata = ["turn.event": "metrics_connection_refused", "turn.limit": "\(limit)"]
        if let client { metadata["turn.client"] = "\(client)" }
        if suppressed > 0 { metadata["turn.suppressed"] = "\(suppressed)" }
        self.logger.warning("metrics connection refused: too many connections", metadata: metadata)
    }
}

/// The metrics endpoint could not listen.
struct MetricsEndpointError: Error, CustomStringConvertible {
    var address: String
    var reason: String
    var description: String { "cannot listen for metrics on TCP \(self.address): \(self.reason)" }
}
