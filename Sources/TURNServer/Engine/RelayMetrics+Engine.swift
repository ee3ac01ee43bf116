import DatagramEngine
import TURNCore
import TURNMetrics

extension RelayMetrics {
    /// Adds what an engine dropped or met on the receive side since the last call.
    func engineDrops(_ counters: EngineCounters) {
        if counters.truncated > 0 { self.ignored(reason: TURNIgnoreReason.oversizedDatagram.rawValue, count: counters.truncated) }
        if counters.unknownSource > 0 { self.ignored(reason: TURNIgnoreReason.unknownSource.rawValue, count: counters.unknownSource) }
        if counters.receiveErrors > 0 { self.engineReceiveErrors(counters.receiveErrors) }
        if counters.bufferShortages > 0 { self.engineBufferShortages(counters.bufferShortages) }
        if counters.completionOverflows > 0 { self.engineCompletionOverflows(counters.completionOverflows) }
    }
}
