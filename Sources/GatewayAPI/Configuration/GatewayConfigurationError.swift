/// A setting the gateway cannot work with; the executable prints ``description`` and exits 2.
///
/// Messages name the setting or file, never a secret's value.
public struct GatewayConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var description: String

    /// Creates an error with a message.
    public init(_ description: String) { self.description = description }
}
