import Prometheus
import TURNMetrics

/// The Prometheus text of every metric, with the process metrics read fresh for each scrape;
/// served on `prometheus-port` and on the gateway's `/metrics`.
struct MetricsExposition: Sendable {
    let registry: PrometheusCollectorRegistry
    let process: ProcessMetrics

    /// The exposition text's bytes.
    func bytes() -> [UInt8] {
        self.process.update()
        return self.registry.emitToBuffer()
    }

    /// The exposition text.
    func text() -> String {
        String(decoding: self.bytes(), as: UTF8.self)
    }
}
