extension PeerAddressPolicy {
    /// Whether the relay may send to a peer address, and why not.
    ///
    /// RFC 8656 lets a server refuse a peer address: CreatePermission and ChannelBind then
    /// get 403 (Forbidden), and a Send indication is dropped.
    public enum Decision: Hashable, Sendable {
        /// The relay may send to the address.
        case allowed
        /// The address is in a category the relay refuses by default, and no configuration
        /// opens it.
        case deniedBuiltIn(Category)
        /// A `denied-peer-ip` range holds the address (or the IPv4 address it carries), and no
        /// `allowed-peer-ip` range does.
        case deniedByRule

        /// A bounded label for metrics: `allowed`, the category's label, or `denied_peer_ip`.
        public var label: String {
            switch self {
            case .allowed: "allowed"
            case .deniedBuiltIn(let category): category.rawValue
            case .deniedByRule: "denied_peer_ip"
            }
        }
    }
}
