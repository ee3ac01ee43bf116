/// A Redis password, kept out of logs: its `description` is `"<redacted>"`.
///
/// The same idea as the config layer's `Secret` wrapper (STYLE.md 4.10) and swift-configuration's
/// `isSecret:`; TURNRedis has its own so that it depends on nothing but hiredis and NIO.
public struct RedisPassword: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    ExpressibleByStringLiteral
{
    /// The password itself. Read it only to send AUTH.
    public let value: String

    /// Wraps a password.
    public init(_ value: String) { self.value = value }

    public init(stringLiteral value: String) { self.value = value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
