public import Hummingbird
public import HummingbirdWebSocket
import IPAddressing
import NIOCore

/// The request context of the gateway's routes: Hummingbird's core storage plus the client's IP.
public struct GatewayRequestContext: RequestContext, WebSocketRequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address as text; nil when the channel has none (in-process tests).
    public var clientIP: String?
    /// The WebSocket handler an upgrade request is given (signaling).
    public let webSocket = WebSocketHandlerReference<Self>()
    /// The connection, which signaling closes outright when a client does not read.
    let channel: any Channel

    /// Reads the client's address from the channel.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientIP = source.channel.remoteAddress?.ipAddress
        self.channel = source.channel
    }

    /// Bodies over 16 KiB are refused (413 `body_too_large`).
    public var maxUploadSize: Int { BodyLimit.maximumBytes }

    /// The client IP for logs: `unknown` when the channel has none.
    var clientLabel: String { self.clientIP ?? "unknown" }

    /// The key of the client's rate limits: an IPv4 address (IPv4-mapped IPv6 included) as
    /// itself, an IPv6 address by its /64, since one host commonly holds a whole /64.
    var rateLimitKey: String { Self.rateLimitKey(self.clientIP) }

    /// See ``rateLimitKey``.
    static func rateLimitKey(_ clientIP: String?) -> String {
        guard let clientIP else { return "unknown" }
        guard let address = try? IPAddress(parsing: clientIP, zoneIdentifiers: .ignored).unmapped else { return clientIP }
        guard case .v6(let high, _) = address else { return address.description }
        return "\(IPAddress.v6(high: high, low: 0))/64"
    }
}
