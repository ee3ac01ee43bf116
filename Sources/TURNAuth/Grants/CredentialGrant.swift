/// What a REST credential allows, signed into its user name: the user, and optionally a room
/// and a bandwidth class.
///
/// The part of a REST user name after the expiry is `<user>[;r=<room>][;bw=<kbps>]`, each value
/// percent-encoded. The password is the HMAC of the whole name, so no grant can be changed
/// without the secret, and any relay node holding the secret can enforce the grant without a
/// database. A name minted by coturn (`<expiry>:<user>`) is a grant with only a user. Keys
/// this version does not know are ignored, so newer gateways can add grants.
public struct CredentialGrant: Hashable, Sendable {
    /// Whom quotas count against and the admin API names.
    public var user: String
    /// The room the credential was minted for.
    public var room: String?
    /// The bandwidth class: kbit/s per allocation and direction.
    public var bandwidthKbps: Int?

    /// The largest `bw` accepted: 10 Gbit/s.
    public static let maximumBandwidthKbps = 10_000_000

    /// Creates a grant.
    public init(user: String, room: String? = nil, bandwidthKbps: Int? = nil) {
        self.user = user
        self.room = room
        self.bandwidthKbps = bandwidthKbps
    }

    /// The user part of a REST user name: the user and the grants, percent-encoded.
    public var encoded: String {
        var text = Self.escape(self.user)
        if let room = self.room { text += ";r=" + Self.escape(room) }
        if let bandwidthKbps = self.bandwidthKbps { text += ";bw=\(bandwidthKbps)" }
        return text
    }

    /// Reads the user part of a REST user name.
    ///
    /// Returns nil when a known grant is malformed: a `bw` that is not a decimal number from 1
    /// to ``maximumBandwidthKbps``, or a key given twice; and when the text, the user or the
    /// room holds a control character (``hasControlCharacters``), raw or percent-encoded.
    public init?(decoding text: Substring) {
        guard !Self.containsControlCharacter(text) else { return nil }
        let fields = text.split(separator: ";", omittingEmptySubsequences: false)
        self.init(user: Self.unescape(fields[0]))
        var seen: Set<Substring> = []
        for field in fields.dropFirst() {
            guard let equals = field.firstIndex(of: "=") else { continue }
            let key = field[..<equals]
            let value = field[field.index(after: equals)...]
            guard seen.insert(key).inserted else { return nil }
            switch key {
            case "r":
                self.room = Self.unescape(value)
            case "bw":
                guard value.count <= 8, value.allSatisfy({ $0.isASCII && $0.isNumber }), let kbps = Int(value),
                    (1...Self.maximumBandwidthKbps).contains(kbps)
                else { return nil }
                self.bandwidthKbps = kbps
            default:
                continue
            }
        }
        guard !self.hasControlCharacters else { return nil }
    }

    /// Whether the user or the room holds a control character (C0, DEL or C1) or a line or
    /// paragraph separator (U+2028, U+2029).
    ///
    /// Such a name has no use but to break the lines of a text log or of a tool that shows
    /// it: the gateway does not mint it and the relay refuses it as unknown credentials.
    package var hasControlCharacters: Bool {
        Self.containsControlCharacter(self.user) || self.room.map(Self.containsControlCharacter) ?? false
    }

    private static func containsControlCharacter(_ text: some StringProtocol) -> Bool {
        text.unicodeScalars.contains { scalar in
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: true
            default: false
            }
        }
    }

    /// The bandwidth class in bytes per second, as the relay's token buckets count.
    public var bandwidthBytesPerSecond: Int? { self.bandwidthKbps.map { $0 * 1000 / 8 } }

    private static let reserved: Set<UInt8> = [UInt8(ascii: ";"), UInt8(ascii: "%"), UInt8(ascii: "="), UInt8(ascii: ":")]

    private static func escape(_ text: String) -> String {
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            if byte < 0x21 || byte == 0x7F || Self.reserved.contains(byte) {
                bytes.append(UInt8(ascii: "%"))
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0x0F)])
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func unescape(_ text: Substring) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
