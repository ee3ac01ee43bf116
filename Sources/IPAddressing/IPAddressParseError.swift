/// Why an IP address or an address range could not be parsed.
///
/// Thrown by ``IPAddressRange/init(parsing:)`` (`allowed-peer-ip`, `denied-peer-ip`,
/// `api-allowed-ip`, `api-denied-ip`) and by ``IPAddress/init(parsing:zoneIdentifiers:)``
/// (every address in the configuration). Equality compares the ``code`` only,
/// so tests and callers match on what went wrong; ``message`` says it for a person, quoting
/// the start of the offending text. These errors come from configuration, never from the
/// data path, so the message may be built when the error is.
public struct IPAddressParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: UInt8 {
            case empty
            case tooLong
            case invalidIPv4Address
            case invalidIPv6Address
            case zoneIdentifier
            case invalidPrefixLength
            case hostBitsSet
            case mixedFamilies
            case reversedRange
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The text, or one side of a range or CIDR block, is empty.
        public static let empty = Code(.empty)
        /// The text is longer than ``IPAddressRange/maximumTextLength`` bytes.
        public static let tooLong = Code(.tooLong)
        /// Not a dotted-quad IPv4 address (four decimal octets, 0-255, no leading zeros).
        public static let invalidIPv4Address = Code(.invalidIPv4Address)
        /// Not an IPv6 address in RFC 4291 Section 2.2 text form.
        public static let invalidIPv6Address = Code(.invalidIPv6Address)
        /// An IPv6 zone identifier (`%eth0`, RFC 6874) where none is allowed: configured
        /// addresses and ranges name hosts, not interfaces.
        public static let zoneIdentifier = Code(.zoneIdentifier)
        /// The CIDR prefix length is not a decimal number within the family's bit width.
        public static let invalidPrefixLength = Code(.invalidPrefixLength)
        /// A CIDR block whose address has bits set past the prefix (`10.0.0.1/8`).
        public static let hostBitsSet = Code(.hostBitsSet)
        /// A range whose two ends are of different address families.
        public static let mixedFamilies = Code(.mixedFamilies)
        /// A range whose first address is greater than its last.
        public static let reversedRange = Code(.reversedRange)

        public var description: String {
            switch self.base {
            case .empty: "empty"
            case .tooLong: "tooLong"
            case .invalidIPv4Address: "invalidIPv4Address"
            case .invalidIPv6Address: "invalidIPv6Address"
            case .zoneIdentifier: "zoneIdentifier"
            case .invalidPrefixLength: "invalidPrefixLength"
            case .hostBitsSet: "hostBitsSet"
            case .mixedFamilies: "mixedFamilies"
            case .reversedRange: "reversedRange"
            }
        }
    }

    /// What went wrong.
    public var code: Code
    /// A sentence for a person: what is wrong and with which text.
    public var message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    public var description: String { "IPAddressParseError.\(self.code): \(self.message)" }

    public static let empty = IPAddressParseError(.empty, message: "empty address")
    public static let tooLong = IPAddressParseError(.tooLong, message: "address text too long")
    public static let invalidIPv4Address = IPAddressParseError(.invalidIPv4Address, message: "invalid IPv4 address")
    public static let invalidIPv6Address = IPAddressParseError(.invalidIPv6Address, message: "invalid IPv6 address")
    public static let zoneIdentifier = IPAddressParseError(.zoneIdentifier, message: "IPv6 zone identifier")
    public static let invalidPrefixLength = IPAddressParseError(.invalidPrefixLength, message: "invalid prefix length")
    public static let hostBitsSet = IPAddressParseError(.hostBitsSet, message: "host bits set")
    public static let mixedFamilies = IPAddressParseError(.mixedFamilies, message: "mixed address families")
    public static let reversedRange = IPAddressParseError(.reversedRange, message: "reversed range")
}

extension IPAddressParseError {
    /// `text` in single quotes, cut to a readable length, for a message.
    static func quoted(_ text: some StringProtocol) -> String {
        let limit = 64
        return text.count > limit ? "'\(text.prefix(limit))…'" : "'\(text)'"
    }

    /// The same error with its message put as the reason why `text` is not a `what`
    /// (`'10.0.0.0 -10.0.0.9' is not an address range: the first address ...`).
    func explaining(_ text: some StringProtocol, isNot what: String, _ part: String = "") -> IPAddressParseError {
        IPAddressParseError(self.code, message: "\(Self.quoted(text)) is not \(what): \(part)\(self.message)")
    }
}
