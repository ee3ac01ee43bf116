import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import ServiceLifecycle

/// Serves every metric in Prometheus' text exposition format at `GET /metrics`
/// (coturn's `prometheus`, `prometheus-port`, `prometheus-address`).
///
/// A scrape reads the live values: traffic counters advance per packet, not when a session
/// ends. Anything other than `GET /metrics` gets 404 (or 405 for another method on it).
final class PrometheusEndpoint: Service {
    private let exposition: MetricsExposition
    private let host: String
    private let port: Int
    private let group: any EventLoopGroup
    private let logger: Logger

    init(exposition: MetricsExposition, host: String, port: Int, group: any EventLoopGroup, logger: Logger) {
        self.exposition = exposition
        self.host = host
        self.port = port
        self.group = group
        self.logger = logger
    }

    func run() async throws {
        let exposition = self.exposition
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: self.group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(exposition: exposition))
                    }
                }
                .bind(host: self.host, port: self.port)
                .get()
        } catch {
            throw MetricsEndpointError(address: "\(self.host):\(self.port)", reason: "\(error)")
        }
        self.logger.info("metrics endpoint listening", metadata: ["turn.listener": "\(self.host):\(self.port)"])
        await withGracefulShutdownHandler {
            try? await channel.closeFuture.get()
        } onGracefulShutdown: {
            channel.close(promise: nil)
        }
    }
}

/// The metrics endpoint could not listen.
struct MetricsEndpointError: Error, CustomStringConvertible {
    var address: String
    var reason: String
    var description: String { "cannot listen for metrics on TCP \(self.address): \(self.reason)" }
}

/// Answers one HTTP/1.1 connection's requests for `/metrics`.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let exposition: MetricsExposition
    private var request: HTTPRequestHead?

    init(exposition: MetricsExposition) {
        self.exposition = exposition
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
            self.respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        let status: HTTPResponseStatus
        let body: [UInt8]
        var headers = HTTPHeaders()
        switch (path, head.method) {
        case ("/metrics", .GET):
            status = .ok
            body = self.exposition.bytes()
            headers.add(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")
        case ("/metrics", _):
            status = .methodNotAllowed
            body = Array("only GET is allowed\n".utf8)
            headers.add(name: "Allow", value: "GET")
        default:
            status = .notFound
            body = Array("not found: the metrics are at /metrics\n".utf8)
        }
        headers.add(name: "Content-Length", value: String(body.count))
        let keepAlive = head.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        let done = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: done)
        if !keepAlive {
            done.futureResult.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension MetricsHTTPHandler: Sendable {}
