import NIOCore
import NIOHTTP1

/// Answers one HTTP/1.1 connection's requests for the metrics (`/metrics`, or coturn's
/// `prometheus-path`), one response at a time.
///
/// NIO's pipelining handler hands over the next request as soon as a response's end is
/// written; this handler holds it until that response has been written to the socket, so a
/// client that pipelines requests without reading the answers never has more than one
/// response queued. The connection closes after `idleTimeout` without a complete request
/// (bytes that never complete a request do not count).
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let exposition: MetricsExposition
    private let idleTimeout: TimeAmount
    /// The path the metrics are served at.
    private let path: String
    private var request: HTTPRequestHead?
    /// A complete request waiting for the response in flight.
    private var waiting: HTTPRequestHead?
    private var responding = false
    private var lastRequest: NIODeadline = .uptimeNanoseconds(0)
    private var idleTimer: Scheduled<Void>?

    init(exposition: MetricsExposition, idleTimeout: TimeAmount, path: String) {
        self.exposition = exposition
        self.idleTimeout = idleTimeout
        self.path = path
    }

    func channelActive(context: ChannelHandlerContext) {
        self.lastRequest = context.eventLoop.now
        self.scheduleIdleCheck(at: self.lastRequest + self.idleTimeout, context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.idleTimer?.cancel()
        self.idleTimer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.request = head
        case .body:
            break
        case .end:
            guard let head = self.request else { return }
            self.request = nil
            self.lastRequest = context.eventLoop.now
            if self.responding {
                self.waiting = head
            } else {
                self.respond(to: head, context: context)
            }
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        let status: HTTPResponseStatus
        let body: [UInt8]
        var headers = HTTPHeaders()
        switch (path == self.path, head.method) {
        case (true, .GET):
            status = .ok
            body = self.exposition.bytes()
            headers.add(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")
        case (true, _):
            status = .methodNotAllowed
            body = Array("only GET is allowed\n".utf8)
            headers.add(name: "Allow", value: "GET")
        case (false, _):
            status = .notFound
            body = Array("not found: the metrics are at \(self.path)\n".utf8)
        }
        headers.add(name: "Content-Length", value: String(body.count))
        let keepAlive = head.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        self.responding = true
        context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        let done = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: done)
        done.futureResult.assumeIsolated().whenComplete { result in
            self.responding = false
            guard keepAlive, case .success = result else {
                context.close(promise: nil)
                return
            }
            if let next = self.waiting {
                self.waiting = nil
                self.respond(to: next, context: context)
            }
        }
    }

    private func scheduleIdleCheck(at deadline: NIODeadline, context: ChannelHandlerContext) {
        self.idleTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            let due = self.lastRequest + self.idleTimeout
            if context.eventLoop.now >= due {
                context.close(promise: nil)
            } else {
                self.scheduleIdleCheck(at: due, context: context)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension MetricsHTTPHandler: Sendable {}
