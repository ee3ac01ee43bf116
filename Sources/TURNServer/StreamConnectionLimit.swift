import Logging
import NIOCore
import Synchronization

/// How many TCP and TLS connections are open, shared by every listener.
final class StreamConnectionCounter: Sendable {
    let limit: Int
    private let open = Atomic(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts a new connection; false (and not counted) when the limit is reached.
    func admit() -> Bool {
        let previous = self.open.add(1, ordering: .relaxed).oldValue
        if previous >= self.limit {
            self.open.subtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    /// A counted connection closed.
    func release() {
        self.open.subtract(1, ordering: .relaxed)
    }
}

/// First in every stream pipeline: closes a connection over the limit at once, and releases
/// its slot when it closes.
final class StreamConnectionLimitHandler: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    private let counter: StreamConnectionCounter
    private let logger: Logger
    private var counted = false

    init(counter: StreamConnectionCounter, logger: Logger) {
        self.counter = counter
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        guard self.counter.admit() else {
            self.logger.warning("connection refused: too many TCP/TLS connections", metadata: [
                "turn.event": "connection_limit", "turn.limit": "\(self.counter.limit)",
            ])
            context.close(promise: nil)
            return
        }
        self.counted = true
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if self.counted {
            self.counted = false
            self.counter.release()
        }
        context.fireChannelInactive()
    }
}
