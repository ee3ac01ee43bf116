package import NIOCore
import Synchronization

/// How many TCP (or TLS) connections are open, in all and per source, shared by every
/// listener that uses it.
///
/// A source is an IPv4 address, or the /64 prefix of an IPv6 address (one host usually holds a
/// whole /64, so counting single IPv6 addresses would not limit anyone). IPv4-mapped IPv6
/// addresses count as their IPv4 address.
package final class StreamConnectionCounter: Sendable {
    /// Why a connection was not admitted.
    package enum Refusal: Sendable, Equatable {
        /// The node holds `total` connections already.
        case total
        /// The connection's source holds `perSource` connections already.
        case source
    }

    /// The most connections open at once; 0 for no limit.
    package let total: Int
    /// The most connections of one source open at once; 0 for no limit.
    package let perSource: Int
    private struct State {
        var open = 0
        var bySource: [StreamSource: Int] = [:]
    }
    private let state = Mutex(State())

    /// Creates a counter; 0 means no limit.
    package init(total: Int, perSource: Int) {
        self.total = total
        self.perSource = perSource
    }

    /// Counts a new connection from `source` (nil when it has no IP address); returns why it
    /// is refused, and then it is not counted.
    package func admit(_ source: StreamSource?) -> Refusal? {
        self.state.withLock { state in
            if self.total > 0, state.open >= self.total { return .total }
            if let source, self.perSource > 0 {
                let held = state.bySource[source, default: 0]
                if held >= self.perSource { return .source }
                state.bySource[source] = held + 1
            }
            state.open += 1
            return nil
        }
    }

    /// A counted connection from `source` closed.
    package func release(_ source: StreamSource?) {
        self.state.withLock { state in
            state.open -= 1
            guard let source, self.perSource > 0, let held = state.bySource[source] else { return }
            state.bySource[source] = held > 1 ? held - 1 : nil
        }
    }

    /// The connections counted now (for tests and diagnostics).
    package var openConnections: Int { self.state.withLock { $0.open } }
}

/// What connections are counted by: an IPv4 address or an IPv6 /64 prefix.
package enum StreamSource: Hashable, Sendable {
    case v4(UInt32)
    case v6Prefix(UInt64)

    /// The source of a socket address; nil for a UNIX-domain address.
    package init?(_ address: SocketAddress) {
        switch address {
        case .v4(let v4):
            self = .v4(UInt32(bigEndian: v4.address.sin_addr.s_addr))
        case .v6(let v6):
            var storage = v6.address.sin6_addr
            let bytes = withUnsafeBytes(of: &storage) { Array($0) }
            guard bytes.count == 16 else { return nil }
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
                self = .v4(bytes[12..<16].reduce(0) { $0 << 8 | UInt32($1) })
            } else {
                self = .v6Prefix(bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) })
            }
        case .unixDomainSocket:
            return nil
        }
    }
}

/// First in every stream pipeline: closes a connection over a limit at once (before TLS or
/// anything else starts), and releases its slot when it closes.
package final class StreamConnectionLimitHandler: ChannelInboundHandler {
    package typealias InboundIn = NIOAny

    private let counter: StreamConnectionCounter
    private let onRefusal: (StreamConnectionCounter.Refusal, SocketAddress?) -> Void
    private var counted = false
    private var source: StreamSource?

    /// - Parameter onRefusal: records a refused connection (a metric, a sampled log line).
    package init(counter: StreamConnectionCounter, onRefusal: @escaping (StreamConnectionCounter.Refusal, SocketAddress?) -> Void) {
        self.counter = counter
        self.onRefusal = onRefusal
    }

    package func channelActive(context: ChannelHandlerContext) {
        let remote = context.remoteAddress
        let source = remote.flatMap(StreamSource.init)
        if let refusal = self.counter.admit(source) {
            self.onRefusal(refusal, remote)
            context.close(promise: nil)
            return
        }
        self.counted = true
        self.source = source
        context.fireChannelActive()
    }

    package func channelInactive(context: ChannelHandlerContext) {
        if self.counted {
            self.counted = false
            self.counter.release(self.source)
        }
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension StreamConnectionLimitHandler: Sendable {}
