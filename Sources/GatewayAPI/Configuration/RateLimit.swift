/// A request rate: `count` requests per `windowSeconds` (`api-rate-limit`, `COUNT/SECONDS`).
public struct RateLimit: Sendable, Hashable {
    /// Requests allowed in one window; also the largest burst.
    public var count: Int
    /// The window, in seconds.
    public var windowSeconds: Int

    /// Creates a rate.
    public init(count: Int, windowSeconds: Int) {
        self.count = count
        self.windowSeconds = windowSeconds
    }
}
