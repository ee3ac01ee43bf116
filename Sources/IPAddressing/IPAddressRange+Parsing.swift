extension IPAddressRange {
    /// The longest text ``init(parsing:)`` reads: two of the longest addresses and a hyphen,
    /// with room to spare. Longer text is refused before it is looked at.
    public static let maximumTextLength = 100

    /// Parses an address range as every range option gives it (`allowed-peer-ip`,
    /// `denied-peer-ip`, `api-allowed-ip`, `api-denied-ip`): the one range syntax of the project.
    ///
    /// Three forms, each with IPv4 or IPv6 addresses as ``IPAddress/init(parsing:zoneIdentifiers:)``
    /// reads them (zone identifiers refused):
    /// - a single address: `203.0.113.7`, `2001:db8::1`;
    /// - coturn's range, first and last address included: `10.0.0.0-10.255.255.255`;
    /// - a CIDR block (an addition to coturn's syntax): `10.0.0.0/8`, `2001:db8::/32`.
    ///
    /// coturn passes text it cannot read as an address to the resolver; TurnGate resolves
    /// nothing, so a host name is an error. Whitespace is not trimmed here (the configuration
    /// lexer does that). Never traps, whatever the input.
    ///
    /// - Parameter text: the range.
    /// - Throws: ``IPAddressParseError``: `.empty`, `.tooLong` (over ``maximumTextLength`` bytes),
    ///   `.invalidIPv4Address`, `.invalidIPv6Address`, `.zoneIdentifier`,
    ///   `.invalidPrefixLength`, `.hostBitsSet`, `.mixedFamilies` or `.reversedRange`.
    public init(parsing text: String) throws(IPAddressParseError) {
        let quoted = IPAddressParseError.quoted(text)
        guard !text.isEmpty else {
            throw IPAddressParseError(.empty, message: "'' is not an address, a CIDR block (address/length) or a range (first-last)")
        }
        guard text.utf8.count <= Self.maximumTextLength else {
            throw IPAddressParseError(.tooLong, message: "\(quoted) is longer than \(Self.maximumTextLength) bytes, so not an address range")
        }
        let bytes = Array(text.utf8)[...]
        if let slash = bytes.firstIndex(of: AddressText.slash) {
            let prefix = try Self.address(bytes[..<slash], of: text, isNot: "a CIDR block", "")
            let bits = prefix.isIPv4 ? UInt32.bitWidth : UInt128.bitWidth
            guard let length = AddressText.decimalNumber(bytes[(slash + 1)...], maximumDigits: 3), length <= bits else {
                throw IPAddressParseError(.invalidPrefixLength, message: "\(quoted) is not a CIDR block: \(Self.prefixLengthRule(bits))")
            }
            try self.init(prefix: prefix, length: length, spelled: text)
        } else if let hyphen = bytes.firstIndex(of: AddressText.hyphen) {
            let lowerBound = try Self.address(bytes[..<hyphen], of: text, isNot: "an address range", "the first address ")
            let upperBound = try Self.address(bytes[(hyphen + 1)...], of: text, isNot: "an address range", "the last address ")
            try self.init(from: lowerBound, through: upperBound, spelled: text)
        } else {
            do {
                self.init(try IPAddress.parse(bytes))
            } catch {
                let zone = error.code == .zoneIdentifier ? ": zone identifiers such as %eth0 are not allowed here" : ""
                throw IPAddressParseError(
                    error.code,
                    message: "\(quoted) is not an IPv4 or IPv6 address, a CIDR block (address/length) or a range (first-last)\(zone)"
                )
            }
        }
    }

    /// The address that one side of a range or CIDR block spells; its error says that `text`
    /// is not `what`, because of `part`.
    private static func address(
        _ bytes: ArraySlice<UInt8>,
        of text: String,
        isNot what: String,
        _ part: String
    ) throws(IPAddressParseError) -> IPAddress {
        do {
            return try IPAddress.parse(bytes)
        } catch {
            throw error.explaining(text, isNot: what, part)
        }
    }
}
