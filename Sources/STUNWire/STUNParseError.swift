/// An error found while parsing a STUN message, a STUN attribute or a ChannelData frame.
///
/// Equality compares the ``code`` only, so tests and callers can match on what went wrong
/// without caring where. The error is small and built without allocating.
public struct STUNParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: UInt8 {
            case truncated
            case notSTUN
            case badLength
            case lengthMismatch
            case attributeTruncated
            case tooManyAttributes
            case fingerprintNotLast
            case invalidAttributeValue
            case notChannelData
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Fewer bytes than a STUN header (20 bytes) or ChannelData header (4 bytes) needs.
        public static let truncated = Code(.truncated)
        /// The top two bits are not zero or the magic cookie is wrong: not a STUN message.
        public static let notSTUN = Code(.notSTUN)
        /// The header's message length is not a multiple of 4.
        public static let badLength = Code(.badLength)
        /// The header's message length disagrees with the number of bytes received.
        public static let lengthMismatch = Code(.lengthMismatch)
        /// An attribute's value or padding runs past the end of the message.
        public static let attributeTruncated = Code(.attributeTruncated)
        /// More attributes than ``STUNMessage/maximumAttributeCount``.
        public static let tooManyAttributes = Code(.tooManyAttributes)
        /// An attribute follows FINGERPRINT, which must come last (RFC 8489 Section 14.7).
        public static let fingerprintNotLast = Code(.fingerprintNotLast)
        /// An attribute's value does not have the format its type requires.
        public static let invalidAttributeValue = Code(.invalidAttributeValue)
        /// The first two bits are not `01`, so this is not a ChannelData message.
        public static let notChannelData = Code(.notChannelData)

        public var description: String {
            switch self.base {
            case .truncated: "truncated"
            case .notSTUN: "notSTUN"
            case .badLength: "badLength"
            case .lengthMismatch: "lengthMismatch"
            case .attributeTruncated: "attributeTruncated"
            case .tooManyAttributes: "tooManyAttributes"
            case .fingerprintNotLast: "fingerprintNotLast"
            case .invalidAttributeValue: "invalidAttributeValue"
            case .notChannelData: "notChannelData"
            }
        }
    }

    /// What went wrong.
    public var code: Code
    /// The byte offset in the message where parsing failed, or 0 when not known.
    public var offset: Int

    /// Creates an error with a code and the offset where it happened.
    public init(_ code: Code, offset: Int = 0) {
        self.code = code
        self.offset = offset
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    public var description: String { "STUNParseError.\(self.code) at offset \(self.offset)" }

    public static let truncated = STUNParseError(.truncated)
    public static let notSTUN = STUNParseError(.notSTUN)
    public static let badLength = STUNParseError(.badLength)
    public static let lengthMismatch = STUNParseError(.lengthMismatch)
    public static let attributeTruncated = STUNParseError(.attributeTruncated)
    public static let tooManyAttributes = STUNParseError(.tooManyAttributes)
    public static let fingerprintNotLast = STUNParseError(.fingerprintNotLast)
    public static let invalidAttributeValue = STUNParseError(.invalidAttributeValue)
    public static let notChannelData = STUNParseError(.notChannelData)
}
