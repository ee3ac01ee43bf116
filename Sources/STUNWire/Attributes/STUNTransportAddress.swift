/// An IP address and port: what the STUN address attributes carry.
public struct STUNTransportAddress: Hashable, Sendable, CustomStringConvertible {
    /// The IP address.
    public var address: IPAddress
    /// The port.
    public var port: UInt16

    /// Creates a transport address.
    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// `1.2.3.4:5` or `[::1]:5`.
    public var description: String {
        switch self.address {
        case .v4: "\(self.address):\(self.port)"
        case .v6: "[\(self.address)]:\(self.port)"
        }
    }
}
