package import NIOCore

extension AcceptFailureHandler {
    /// Puts an ``AcceptFailureHandler`` at the front of a listening socket's pipeline that is
    /// already bound: for listeners whose owner offers no `serverChannelInitializer`, such as
    /// Hummingbird's, which hands its listening channel to `onServerRunning` instead.
    ///
    /// Those listeners are bound by NIO's async `ServerBootstrap.bind`, which adds an
    /// `AcceptBackoffHandler` that swallows accept errors; this handler goes in front of it, so
    /// it sees every failed accept and pauses the listener for ``backoff``.
    ///
    /// - Parameters:
    ///   - channel: the listening socket's channel.
    ///   - onFailure: runs for each failed accept.
    /// - Throws: `ChannelError` when the listener has already closed.
    package static func addAcceptPause(toRunning channel: any Channel, onFailure: (@Sendable () -> Void)? = nil) async throws {
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(AcceptFailureHandler(onFailure: onFailure), position: .first)
        }.get()
    }
}
