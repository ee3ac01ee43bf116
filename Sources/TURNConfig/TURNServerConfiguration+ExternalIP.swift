extension TURNServerConfiguration {
    /// One `external-ip` value: a public address reported in XOR-RELAYED-ADDRESS in place of a
    /// relay address behind a NAT.
    ///
    /// coturn's two forms: `external-ip=60.70.80.91` stands for the single relay address, and
    /// `external-ip=60.70.80.91/172.17.19.101` for the relay address `172.17.19.101`, one such
    /// mapping per relay address. Both addresses are IP literals of the same family, as written.
    public struct ExternalIP: Hashable, Sendable {
        /// The public address.
        public var publicIP: String
        /// The private relay address it stands for, or `nil` when it stands for the only one.
        public var privateIP: String?

        /// Creates an external address.
        ///
        /// - Parameters:
        ///   - publicIP: The public address.
        ///   - privateIP: The private relay address, or `nil`.
        public init(publicIP: String, privateIP: String? = nil) {
            self.publicIP = publicIP
            self.privateIP = privateIP
        }
    }
}
