extension IPAddress {
    /// The longest text an address can have: six full IPv6 groups and a dotted quad.
    static let maximumTextLength = 45

    /// What ``IPAddress/init(parsing:zoneIdentifiers:)`` does with an IPv6 zone identifier
    /// (`fe80::1%eth0`, RFC 6874).
    ///
    /// A zone identifier names an interface of the local host, not a host, so no configured
    /// address or range may carry one: configuration text always uses ``refused``. An address
    /// the operating system reports for a connected socket may carry one; it is matched
    /// against ranges by its address alone, so such text is read with ``ignored``.
    public enum ZoneIdentifierRule: Hashable, Sendable {
        /// A `%` anywhere is an error, ``IPAddressParseError/Code/zoneIdentifier``.
        case refused
        /// A `%` after an IPv6 address and the zone after it are dropped. The zone may hold
        /// only the characters RFC 6874 Section 2 leaves unencoded (letters, digits, `-._~`),
        /// so nothing else (a prefix length, a bracket) hides behind it.
        case ignored
    }

    /// Parses an IPv4 or IPv6 address literal, strictly: the one address parser of the project.
    ///
    /// Accepts exactly what `inet_pton` accepts, which is what coturn reads in its address
    /// options:
    /// - IPv4: four decimal octets 0-255 separated by dots, with no leading zeros (`010` could
    ///   mean octal to another parser, so it is refused rather than guessed at).
    /// - IPv6: the text forms of RFC 4291 Section 2.2: eight groups of one to four hex digits,
    ///   at most one `::` standing for one or more zero groups, and an optional dotted quad in
    ///   place of the last two groups (`::ffff:192.0.2.1`). An IPv4-mapped address stays IPv6;
    ///   ``unmapped`` turns it into the IPv4 address.
    ///
    /// Refused: anything else, including surrounding whitespace, brackets and host names
    /// (nothing is resolved); zone identifiers as `zoneIdentifiers` says. Never traps,
    /// whatever the input.
    ///
    /// - Parameters:
    ///   - text: the address.
    ///   - zoneIdentifiers: what to do with a zone identifier; refused unless told otherwise.
    /// - Throws: ``IPAddressParseError`` with code `.empty`, `.invalidIPv4Address`,
    ///   `.invalidIPv6Address` or `.zoneIdentifier`.
    public init(parsing text: String, zoneIdentifiers: ZoneIdentifierRule = .refused) throws(IPAddressParseError) {
        var bytes = Array(text.utf8)[...]
        if zoneIdentifiers == .ignored, let percent = bytes.firstIndex(of: AddressText.percent),
            bytes[..<percent].contains(AddressText.colon),
            bytes[(percent + 1)...].allSatisfy(AddressText.isUnreserved)
        {
            bytes = bytes[..<percent]
        }
        self = try Self.parse(bytes)
    }

    /// Parses the address in `bytes` (UTF-8), which must hold nothing else; zone identifiers
    /// are refused.
    static func parse(_ bytes: ArraySlice<UInt8>) throws(IPAddressParseError) -> IPAddress {
        func failure(_ code: IPAddressParseError.Code, _ detail: String) -> IPAddressParseError {
            let quoted = IPAddressParseError.quoted(String(decoding: bytes, as: UTF8.self))
            return IPAddressParseError(code, message: "\(quoted) is not an IPv4 or IPv6 address\(detail)")
        }
        guard !bytes.isEmpty else {
            throw IPAddressParseError(.empty, message: "'' is not an IPv4 or IPv6 address")
        }
        guard bytes.contains(AddressText.colon) else {
            guard bytes.count <= Self.maximumTextLength, let value = IPv4Text.parse(bytes) else {
                throw failure(
                    .invalidIPv4Address,
                    " (IPv4 is four decimal octets 0-255 without leading zeros; host names are not resolved)"
                )
            }
            return .v4(value)
        }
        guard !bytes.contains(AddressText.percent) else {
            throw failure(.zoneIdentifier, ": zone identifiers such as %eth0 are not allowed here")
        }
        guard bytes.count <= Self.maximumTextLength, let value = IPv6Text.parse(bytes) else {
            throw failure(.invalidIPv6Address, " (IPv6 as RFC 4291 Section 2.2 writes it, without brackets)")
        }
        return IPAddress(ipv6: value)
    }
}
