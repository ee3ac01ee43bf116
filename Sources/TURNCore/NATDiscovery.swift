public import IPAddressing
public import STUNWire

/// The addresses of RFC 5780 NAT behaviour discovery: two IP addresses of one family, each
/// listening on two ports, so a Binding response can say where else the server answers
/// (OTHER-ADDRESS) and come from another IP or port when asked (CHANGE-REQUEST).
///
/// coturn's `rfc5780`: the first two listening addresses of each family are partners, and the
/// alternate port is the listening port plus one. An address with no partner (a family given
/// once) answers Binding as a plain STUN server, and CHANGE-REQUEST gets 420 there (RFC 5780
/// Section 6.1).
public struct NATDiscovery: Hashable, Sendable {
    /// The STUN port.
    public var port: UInt16
    /// The second port every partnered address listens on.
    public var alternatePort: UInt16
    /// Each partnered address's partner, both ways.
    public var partners: [IPAddress: IPAddress]

    /// Creates the pairs from the listening addresses, in their order.
    public init(listening addresses: [IPAddress], port: UInt16, alternatePort: UInt16) {
        self.port = port
        self.alternatePort = alternatePort
        self.partners = [:]
        for family in [addresses.filter(\.isIPv4), addresses.filter { !$0.isIPv4 }] where family.count >= 2 {
            self.partners[family[0]] = family[1]
            self.partners[family[1]] = family[0]
        }
    }

    /// Every address and port the listeners must bind for discovery: each partnered address
    /// on the alternate port (the STUN port is bound anyway).
    public var alternateListeners: [STUNTransportAddress] {
        self.partners.keys.sorted { "\($0)" < "\($1)" }.map { STUNTransportAddress(address: $0, port: self.alternatePort) }
    }

    /// The other port of the pair `port` belongs to.
    private func otherPort(of port: UInt16) -> UInt16 {
        port == self.alternatePort ? self.port : self.alternatePort
    }

    /// OTHER-ADDRESS for a request received on `local`: the partner address on the other
    /// port (RFC 5780 Section 7.4); nil when `local` has no partner.
    public func otherAddress(of local: STUNTransportAddress) -> STUNTransportAddress? {
        guard let partner = self.partners[local.address], local.port == self.port || local.port == self.alternatePort else { return nil }
        return STUNTransportAddress(address: partner, port: self.otherPort(of: local.port))
    }

    /// Where the answer to a request received on `local` comes from under `change`
    /// (RFC 5780 Section 6.1); nil when `local` has no partner.
    public func source(for local: STUNTransportAddress, change: ChangeRequest) -> STUNTransportAddress? {
        guard let partner = self.partners[local.address], local.port == self.port || local.port == self.alternatePort else { return nil }
        return STUNTransportAddress(
            address: change.changeIP ? partner : local.address,
            port: change.changePort ? self.otherPort(of: local.port) : local.port)
    }
}
