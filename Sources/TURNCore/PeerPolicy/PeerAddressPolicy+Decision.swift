extension PeerAddressPolicy {
    /// Whether the relay may send to a peer address, and why not.
    ///
    /// RFC 8656 lets a server restrict the peer addresses it relays to: a CreatePermission or
    /// ChannelBind request naming a refused address gets 403 (Forbidden) (Sections 10.2 and
    /// 12.2), and a Send indication to one is dropped, as it has no permission (Section 11.2).
    public enum Decision: Hashable, Sendable {
        /// The relay may send to the address.
        case allowed
        /// The address is in a category the relay refuses by default, and no configuration
        /// opens it.
        case deniedBuiltIn(Category)
        /// A `denied-peer-ip` range holds the address (or the IPv4 address it carries), and no
        /// `allowed-peer-ip` range does.
        case deniedByRule
        /// The peer is the relay's own host, one of its listeners, port 0, or a form the relay
        /// sockets cannot send to (``SelfProtection``).
        case deniedSelfProtection(SelfProtection)

        /// A bounded label for metrics: `allowed`, the category's label, `denied_peer_ip`, or the
        /// self-protection rule's label.
        public var label: String {
            switch self {
            case .allowed: "allowed"
            case .deniedBuiltIn(let category): category.rawValue
            case .deniedByRule: "denied_peer_ip"
            case .deniedSelfProtection(let rule): rule.rawValue
            }
        }
    }
}
