/// A listener could not be opened: the address is taken, not local, or not permitted.
public struct ListenerError: Error, CustomStringConvertible, Sendable {
    /// The transport of the listener: `UDP` or `TCP`.
    public var transport: String
    /// The address and port, as `1.2.3.4:3478` or `[::1]:3478`.
    public var address: String
    /// What the operating system said.
    public var reason: String

    public var description: String { "cannot listen on \(self.transport) \(self.address): \(self.reason)" }
}
