public import STUNWire

extension IPAddress {
    /// The longest text an address can have: six full IPv6 groups and a dotted quad.
    static let maximumTextLength = 45

    /// Parses an IPv4 or IPv6 address literal, strictly.
    ///
    /// Accepts exactly what `inet_pton` accepts, which is what coturn reads in `allowed-peer-ip`
    /// and `denied-peer-ip`:
    /// - IPv4: four decimal octets 0-255 separated by dots, with no leading zeros (`010` could
    ///   mean octal to another parser, so it is refused rather than guessed at).
    /// - IPv6: the text forms of RFC 4291 Section 2.2: eight groups of one to four hex digits,
    ///   at most one `::` standing for one or more zero groups, and an optional dotted quad in
    ///   place of the last two groups (`::ffff:192.0.2.1`).
    ///
    /// Refused: anything else, including surrounding whitespace, brackets, host names (nothing
    /// is resolved) and zone identifiers (`fe80::1%eth0`, RFC 6874), which name an interface
    /// rather than a peer. Never traps, whatever the input.
    ///
    /// - Parameter text: the address.
    /// - Throws: ``PeerPolicyError`` with code `.empty`, `.invalidIPv4Address`,
    ///   `.invalidIPv6Address` or `.zoneIdentifier`.
    public init(parsing text: String) throws(PeerPolicyError) {
        self = try Self.parse(Array(text.utf8)[...])
    }

    /// Parses the address in `bytes` (UTF-8), which must hold nothing else.
    static func parse(_ bytes: ArraySlice<UInt8>) throws(PeerPolicyError) -> IPAddress {
        func failure(_ code: PeerPolicyError.Code, _ problem: String) -> PeerPolicyError {
            PeerPolicyError.quoting(code, problem, in: String(decoding: bytes, as: UTF8.self))
        }
        guard !bytes.isEmpty else {
            throw PeerPolicyError(.empty, message: "empty address")
        }
        guard bytes.contains(AddressText.colon) else {
            guard bytes.count <= Self.maximumTextLength, let value = IPv4Text.parse(bytes) else {
                throw failure(
                    .invalidIPv4Address,
                    "not an IPv4 address (four decimal octets 0-255, no leading zeros; host names are not resolved)"
                )
            }
            return .v4(value)
        }
        guard !bytes.contains(AddressText.percent) else {
            throw failure(.zoneIdentifier, "IPv6 zone identifiers are not allowed")
        }
        guard bytes.count <= Self.maximumTextLength, let value = IPv6Text.parse(bytes) else {
            throw failure(.invalidIPv6Address, "not an IPv6 address (RFC 4291 Section 2.2)")
        }
        return IPAddress(ipv6: value)
    }
}
