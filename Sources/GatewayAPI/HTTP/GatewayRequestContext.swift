public import Hummingbird

/// The request context of the gateway's routes: Hummingbird's core storage plus the client's IP.
public struct GatewayRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address as text; nil when the channel has none (in-process tests).
    public var clientIP: String?

    /// Reads the client's address from the channel.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientIP = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies over 16 KiB are refused (413 `body_too_large`).
    public var maxUploadSize: Int { BodyLimit.maximumBytes }

    /// The client IP for logs and limits: `unknown` when the channel has none.
    var clientLabel: String { self.clientIP ?? "unknown" }
}
