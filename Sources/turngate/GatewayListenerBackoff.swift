import Logging
import NIOCore
import TURNLogging
import TURNServer

/// Accept backoff for the credential gateway's listeners: the `prepareListener` handed to
/// `Gateway`.
///
/// Hummingbird binds with NIO's async `ServerBootstrap`, whose `AcceptBackoffHandler` alone
/// does not stop an accept loop that fails at the open-files limit (EMFILE, ENFILE): the
/// listener stays registered for reading and its event loop spins. `AcceptFailureHandler`
/// unregisters it for a second at each failure, as on the relay's listeners and the metrics
/// endpoint. A failure logs a warning, at most one per ``logInterval`` and listener, with the
/// number left out since the previous one (`turn.suppressed`).
enum GatewayListenerBackoff {
    /// The least time between two warnings of one listener.
    static let logInterval: Duration = .seconds(10)

    /// The closure that adds the backoff to each gateway listener as it starts.
    ///
    /// - Parameter logger: the gateway's logger.
    static func prepareListener(logger: Logger) -> @Sendable (any Channel) async -> Void {
        let sampler = LogSampler<String>(interval: Self.logInterval)
        return { channel in
            let listener = channel.localAddress.map(Self.text) ?? "?"
            do {
                try await AcceptFailureHandler.addAcceptPause(toRunning: channel) {
                    guard let suppressed = sampler.admit(listener, now: .now) else { return }
                    var metadata: Logger.Metadata = ["turn.listener": "\(listener)"]
                    if suppressed > 0 { metadata["turn.suppressed"] = "\(suppressed)" }
                    logger.warning(
                        "the gateway cannot accept connections (out of file descriptors or memory): accepting paused for 1 s",
                        metadata: metadata)
                }
            } catch {
                logger.warning(
                    "the gateway listener closed before its accept backoff was added",
                    metadata: ["turn.listener": "\(listener)", "turn.error": "\(error)"])
            }
        }
    }

    /// `127.0.0.1:8080` or `[::1]:8080`.
    private static func text(_ address: SocketAddress) -> String {
        let host = address.ipAddress ?? "?"
        let port = address.port.map(String.init) ?? "?"
        if case .v6 = address { return "[\(host)]:\(port)" }
        return "\(host):\(port)"
    }
}
