/// A STUN attribute type: the 16-bit code in each attribute's header.
///
/// An open set, so unknown attributes survive a round trip. Types below 0x8000 are
/// comprehension-required (RFC 8489 Section 14): a server that does not understand one in a
/// request answers 420 with UNKNOWN-ATTRIBUTES.
public struct STUNAttributeType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public let rawValue: UInt16

    /// Creates an attribute type from its wire value.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Whether an agent that does not understand this attribute must reject the message.
    public var isComprehensionRequired: Bool { self.rawValue < 0x8000 }

    /// MAPPED-ADDRESS (RFC 8489 Section 14.1).
    public static let mappedAddress = Self(rawValue: 0x0001)
    /// CHANGE-REQUEST (RFC 5780 Section 7.2).
    public static let changeRequest = Self(rawValue: 0x0003)
    /// USERNAME (RFC 8489 Section 14.3).
    public static let username = Self(rawValue: 0x0006)
    /// MESSAGE-INTEGRITY (RFC 8489 Section 14.5).
    public static let messageIntegrity = Self(rawValue: 0x0008)
    /// ERROR-CODE (RFC 8489 Section 14.8).
    public static let errorCode = Self(rawValue: 0x0009)
    /// UNKNOWN-ATTRIBUTES (RFC 8489 Section 14.9).
    public static let unknownAttributes = Self(rawValue: 0x000A)
    /// CHANNEL-NUMBER (RFC 8656 Section 18.1).
    public static let channelNumber = Self(rawValue: 0x000C)
    /// LIFETIME (RFC 8656 Section 18.2).
    public static let lifetime = Self(rawValue: 0x000D)
    /// XOR-PEER-ADDRESS (RFC 8656 Section 18.3).
    public static let xorPeerAddress = Self(rawValue: 0x0012)
    /// DATA (RFC 8656 Section 18.4).
    public static let data = Self(rawValue: 0x0013)
    /// REALM (RFC 8489 Section 14.9).
    public static let realm = Self(rawValue: 0x0014)
    /// NONCE (RFC 8489 Section 14.10).
    public static let nonce = Self(rawValue: 0x0015)
    /// XOR-RELAYED-ADDRESS (RFC 8656 Section 18.5).
    public static let xorRelayedAddress = Self(rawValue: 0x0016)
    /// REQUESTED-ADDRESS-FAMILY (RFC 8656 Section 18.6).
    public static let requestedAddressFamily = Self(rawValue: 0x0017)
    /// EVEN-PORT (RFC 8656 Section 18.7).
    public static let evenPort = Self(rawValue: 0x0018)
    /// REQUESTED-TRANSPORT (RFC 8656 Section 18.8).
    public static let requestedTransport = Self(rawValue: 0x0019)
    /// DONT-FRAGMENT (RFC 8656 Section 18.9).
    public static let dontFragment = Self(rawValue: 0x001A)
    /// MESSAGE-INTEGRITY-SHA256 (RFC 8489 Section 14.6).
    public static let messageIntegritySHA256 = Self(rawValue: 0x001C)
    /// PASSWORD-ALGORITHM (RFC 8489 Section 14.12).
    public static let passwordAlgorithm = Self(rawValue: 0x001D)
    /// USERHASH (RFC 8489 Section 14.4).
    public static let userHash = Self(rawValue: 0x001E)
    /// XOR-MAPPED-ADDRESS (RFC 8489 Section 14.2).
    public static let xorMappedAddress = Self(rawValue: 0x0020)
    /// RESERVATION-TOKEN (RFC 8656 Section 18.10).
    public static let reservationToken = Self(rawValue: 0x0022)
    /// PRIORITY (RFC 8445 Section 16.1).
    public static let priority = Self(rawValue: 0x0024)
    /// USE-CANDIDATE (RFC 8445 Section 16.1).
    public static let useCandidate = Self(rawValue: 0x0025)
    /// PADDING (RFC 5780 Section 7.6).
    public static let padding = Self(rawValue: 0x0026)
    /// RESPONSE-PORT (RFC 5780 Section 7.5).
    public static let responsePort = Self(rawValue: 0x0027)
    /// CONNECTION-ID (RFC 6062 Section 6.2).
    public static let connectionID = Self(rawValue: 0x002A)
    /// ADDITIONAL-ADDRESS-FAMILY (RFC 8656 Section 18.11).
    public static let additionalAddressFamily = Self(rawValue: 0x8000)
    /// ADDRESS-ERROR-CODE (RFC 8656 Section 18.12).
    public static let addressErrorCode = Self(rawValue: 0x8001)
    /// PASSWORD-ALGORITHMS (RFC 8489 Section 14.11).
    public static let passwordAlgorithms = Self(rawValue: 0x8002)
    /// ALTERNATE-DOMAIN (RFC 8489 Section 14.16).
    public static let alternateDomain = Self(rawValue: 0x8003)
    /// ICMP (RFC 8656 Section 18.13).
    public static let icmp = Self(rawValue: 0x8004)
    /// SOFTWARE (RFC 8489 Section 14.14).
    public static let software = Self(rawValue: 0x8022)
    /// ALTERNATE-SERVER (RFC 8489 Section 14.15).
    public static let alternateServer = Self(rawValue: 0x8023)
    /// FINGERPRINT (RFC 8489 Section 14.7).
    public static let fingerprint = Self(rawValue: 0x8028)
    /// ICE-CONTROLLED (RFC 8445 Section 16.1).
    public static let iceControlled = Self(rawValue: 0x8029)
    /// ICE-CONTROLLING (RFC 8445 Section 16.1).
    public static let iceControlling = Self(rawValue: 0x802A)
    /// RESPONSE-ORIGIN (RFC 5780 Section 7.3).
    public static let responseOrigin = Self(rawValue: 0x802B)
    /// OTHER-ADDRESS (RFC 5780 Section 7.4).
    public static let otherAddress = Self(rawValue: 0x802C)

    public var description: String {
        "0x" + String(self.rawValue, radix: 16, uppercase: true)
    }
}
