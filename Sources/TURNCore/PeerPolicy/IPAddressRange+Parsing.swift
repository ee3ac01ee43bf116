import STUNWire

extension IPAddressRange {
    /// The longest text ``init(parsing:)`` reads: two of the longest addresses and a hyphen,
    /// with room to spare. Longer text is refused before it is looked at.
    public static let maximumTextLength = 100

    /// Parses a peer address range as `allowed-peer-ip` and `denied-peer-ip` give it.
    ///
    /// Three forms, each with IPv4 or IPv6 addresses as `IPAddress(parsing:)` reads them:
    /// - a single address: `203.0.113.7`, `2001:db8::1`;
    /// - coturn's range, first and last address included: `10.0.0.0-10.255.255.255`;
    /// - a CIDR block (an addition to coturn's syntax): `10.0.0.0/8`, `2001:db8::/32`.
    ///
    /// coturn passes text it cannot read as an address to the resolver; TurnGate resolves
    /// nothing, so a host name is an error. Whitespace is not trimmed here (the configuration
    /// lexer does that). Never traps, whatever the input.
    ///
    /// - Parameter text: the range.
    /// - Throws: ``PeerPolicyError``: `.empty`, `.tooLong` (over ``maximumTextLength`` bytes),
    ///   `.invalidIPv4Address`, `.invalidIPv6Address`, `.zoneIdentifier`,
    ///   `.invalidPrefixLength`, `.hostBitsSet`, `.mixedFamilies` or `.reversedRange`.
    public init(parsing text: String) throws(PeerPolicyError) {
        guard !text.isEmpty else {
            throw PeerPolicyError(.empty, message: "empty peer address range")
        }
        guard text.utf8.count <= Self.maximumTextLength else {
            throw PeerPolicyError.quoting(
                .tooLong,
                "longer than \(Self.maximumTextLength) bytes, so not an address range",
                in: text
            )
        }
        let bytes = Array(text.utf8)[...]
        if let slash = bytes.firstIndex(of: AddressText.slash) {
            let prefix = try Self.address(bytes[..<slash], "the address before \"/\"", in: text)
            let lengthText = bytes[(slash + 1)...]
            guard let length = AddressText.decimalNumber(lengthText, maximumDigits: 3) else {
                throw PeerPolicyError.quoting(
                    .invalidPrefixLength,
                    "the prefix length must be a decimal number without leading zeros",
                    in: text
                )
            }
            try self.init(prefix: prefix, length: length)
        } else if let hyphen = bytes.firstIndex(of: AddressText.hyphen) {
            let lowerBound = try Self.address(bytes[..<hyphen], "the first address", in: text)
            let upperBound = try Self.address(bytes[(hyphen + 1)...], "the last address", in: text)
            try self.init(from: lowerBound, through: upperBound)
        } else {
            self.init(try IPAddress.parse(bytes))
        }
    }

    /// The address that one side of a range or CIDR block spells.
    private static func address(
        _ bytes: ArraySlice<UInt8>,
        _ role: String,
        in text: String
    ) throws(PeerPolicyError) -> IPAddress {
        guard !bytes.isEmpty else {
            throw PeerPolicyError.quoting(.empty, "\(role) is missing", in: text)
        }
        return try IPAddress.parse(bytes)
    }
}
