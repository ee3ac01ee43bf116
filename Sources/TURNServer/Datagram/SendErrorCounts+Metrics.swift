import DatagramEngine
import TURNMetrics

extension SendErrorCounts {
    /// Adds the counts to `turn_send_errors_total{errno}` and starts again from zero.
    mutating func flush(into metrics: RelayMetrics) {
        self.drain { metrics.sendErrors(errno: $0, count: $1) }
    }
}
