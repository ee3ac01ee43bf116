import Logging
import STUNWire
import TURNCore
import TURNMetrics

/// Counts and logs what the responder decided, the same way for every transport.
enum MessageOutcomeRecorder {
    /// Records `outcome` and returns the bytes to send, if any.
    static func record(
        _ outcome: BindingResponder.Outcome,
        transport: RelayMetrics.Transport,
        metrics: RelayMetrics,
        logger: Logger,
        source: STUNTransportAddress
    ) -> [UInt8]? {
        switch outcome {
        case .respond(let bytes, .bindingSuccess):
            metrics.bindingRequest(transport: transport)
            metrics.bindingResponse(transport: transport)
            return bytes
        case .respond(let bytes, .error(let code, let method)):
            if method == .binding {
                metrics.bindingRequest(transport: transport)
                metrics.bindingError(transport: transport)
            }
            metrics.errorResponse(code: code.rawValue)
            logger.debug(
                "error response",
                metadata: ["turn.client": "\(source)", "turn.method": "\(method)", "turn.error.code": "\(code)"]
            )
            return bytes
        case .ignore(let reason):
            metrics.ignored(reason: reason.rawValue)
            logger.trace("ignored message", metadata: ["turn.client": "\(source)", "turn.reason": "\(reason.rawValue)"])
            return nil
        }
    }
}
