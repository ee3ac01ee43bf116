public import NIOCore
public import STUNWire

extension STUNTransportAddress {
    /// The IP address and port of a NIO socket address; nil for a UNIX-domain address.
    ///
    /// Reads the socket structure directly: no string formatting on the packet path.
    public init?(_ socketAddress: SocketAddress) {
        switch socketAddress {
        case .v4(let v4):
            let address = UInt32(bigEndian: v4.address.sin_addr.s_addr)
            self.init(address: .v4(address), port: UInt16(bigEndian: v4.address.sin_port))
        case .v6(let v6):
            var storage = v6.address.sin6_addr
            let address = withUnsafeBytes(of: &storage) { IPAddress(bytes: $0) }
            guard let address else { return nil }
            self.init(address: address, port: UInt16(bigEndian: v6.address.sin6_port))
        case .unixDomainSocket:
            return nil
        }
    }
}

extension SocketAddress {
    /// The NIO socket address of a STUN transport address (control path: it allocates).
    ///
    /// - Throws: `SocketAddressError` when the address cannot be represented.
    public init(_ address: STUNTransportAddress) throws {
        try self.init(ipAddress: address.address.description, port: Int(address.port))
    }
}
