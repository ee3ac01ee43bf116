public import Foundation

/// Where the gateway reads the time: token validity, credential expiry, rate limits and the
/// JWKS cool-down all use it, so tests can script time.
public struct GatewayClock: Sendable {
    /// The current time.
    public var now: @Sendable () -> Date

    /// Creates a clock reading `now`.
    public init(now: @escaping @Sendable () -> Date) { self.now = now }

    /// The system clock.
    public static let system = GatewayClock(now: { Date() })
}
