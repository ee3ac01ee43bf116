/// A STUN message: header fields and attributes, plus the bytes it was parsed from.
///
/// RFC 8489 Section 5 and Section 14. Parsing is strict and never traps: the header must be
/// valid, the length a multiple of four that matches the bytes given, and every attribute must
/// fit with its padding. After MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT
/// are kept; other attributes there are ignored, as RFC 8489 Section 14.5 requires. Anything
/// after FINGERPRINT is an error.
///
/// A parsed message keeps its original ``bytes``, and integrity checks run over them, never
/// over a re-encoding.
public struct STUNMessage: Hashable, Sendable {
    /// The most attributes a message may carry before it is rejected.
    public static let maximumAttributeCount = 64

    /// The message type (method and class).
    public var type: STUNMessageType
    /// The transaction ID.
    public var transactionID: STUNTransactionID
    /// The attributes in wire order.
    public var attributes: [STUNAttribute]

    /// The bytes this message was parsed from; empty for a message built in code.
    public private(set) var bytes: [UInt8]
    /// Offset in ``bytes`` of the MESSAGE-INTEGRITY attribute header, when there is one.
    public private(set) var messageIntegrityOffset: Int?
    /// Offset in ``bytes`` of the MESSAGE-INTEGRITY-SHA256 attribute header, when there is one.
    public private(set) var messageIntegritySHA256Offset: Int?
    /// Offset in ``bytes`` of the FINGERPRINT attribute header, when there is one.
    public private(set) var fingerprintOffset: Int?

    /// Creates a message to send.
    public init(type: STUNMessageType, transactionID: STUNTransactionID, attributes: [STUNAttribute] = []) {
        self.type = type
        self.transactionID = transactionID
        self.attributes = attributes
        self.bytes = []
    }

    /// Parses a whole STUN message: exactly one message, as a datagram or a stream frame carries it.
    ///
    /// - Throws: ``STUNParseError`` with the first problem found. Header problems
    ///   (``STUNParseError/truncated`` for fewer than 20 bytes, ``STUNParseError/notSTUN``) mean
    ///   the bytes are not STUN at all; other codes mean a recognisable but malformed message.
    public init(parsing bytes: Span<UInt8>) throws(STUNParseError) {
        let header = try STUNHeader(parsing: bytes)
        guard header.length % 4 == 0 else { throw STUNParseError(.badLength, offset: 2) }
        guard STUNHeader.size + header.length == bytes.count else {
            throw STUNParseError(.lengthMismatch, offset: 2)
        }
        self.type = header.messageType
        self.transactionID = header.transactionID
        self.attributes = []
        self.bytes = bytes.copyBytes(0..<bytes.count)
        try self.parseAttributes(bytes)
    }

    /// Parses a whole STUN message from an array of bytes.
    ///
    /// - Throws: ``STUNParseError``, as ``init(parsing:)-(Span<UInt8>)`` does.
    public init(parsing bytes: [UInt8]) throws(STUNParseError) {
        try self.init(parsing: bytes.span)
    }

    private mutating func parseAttributes(_ bytes: Span<UInt8>) throws(STUNParseError) {
        var offset = STUNHeader.size
        var count = 0
        while offset < bytes.count {
            let slot = try STUNAttributeSlot(in: bytes, at: offset)
            if self.fingerprintOffset != nil { throw STUNParseError(.fingerprintNotLast, offset: offset) }
            count += 1
            guard count <= Self.maximumAttributeCount else {
                throw STUNParseError(.tooManyAttributes, offset: offset)
            }
            offset = slot.next
            let afterIntegrity = self.messageIntegrityOffset != nil || self.messageIntegritySHA256Offset != nil
            switch slot.type {
            case .messageIntegrity where self.messageIntegrityOffset == nil && self.messageIntegritySHA256Offset == nil:
                self.messageIntegrityOffset = slot.offset
            case .messageIntegritySHA256 where self.messageIntegritySHA256Offset == nil:
                self.messageIntegritySHA256Offset = slot.offset
            case .fingerprint:
                self.fingerprintOffset = slot.offset
            default:
                if afterIntegrity { continue }
            }
            let padding = bytes.copyBytes(slot.value.upperBound..<slot.next)
            self.attributes.append(STUNAttribute(
                type: slot.type,
                value: bytes.copyBytes(slot.value),
                padding: padding.allSatisfy { $0 == 0 } ? [] : padding
            ))
        }
    }

    /// The first attribute of the given type, raw.
    public func attribute(_ type: STUNAttributeType) -> STUNAttribute? {
        self.attributes.first { $0.type == type }
    }

    /// The first attribute of a typed kind, decoded; nil when absent.
    ///
    /// - Throws: ``STUNParseError/invalidAttributeValue`` when it is present but malformed.
    public func attribute<Value: STUNAttributeValue>(_: Value.Type) throws(STUNParseError) -> Value? {
        guard let raw = self.attribute(Value.attributeType) else { return nil }
        return try Value(value: raw.value, transactionID: self.transactionID)
    }

    /// Every attribute of a typed kind, decoded, in wire order.
    ///
    /// - Throws: ``STUNParseError/invalidAttributeValue`` when any of them is malformed.
    public func attributes<Value: STUNAttributeValue>(_: Value.Type) throws(STUNParseError) -> [Value] {
        var values: [Value] = []
        for raw in self.attributes where raw.type == Value.attributeType {
            values.append(try Value(value: raw.value, transactionID: self.transactionID))
        }
        return values
    }

    /// Appends a typed attribute, encoded for this message's transaction ID.
    public mutating func append<Value: STUNAttributeValue>(_ value: Value) {
        self.attributes.append(STUNAttribute(value, transactionID: self.transactionID))
    }

    /// The comprehension-required attribute types in this message that are not in `known`.
    ///
    /// A server answers a request that has any with 420 and UNKNOWN-ATTRIBUTES
    /// (RFC 8489 Section 6.3.1).
    public func unknownComprehensionRequired(known: Set<STUNAttributeType>) -> [STUNAttributeType] {
        var unknown: [STUNAttributeType] = []
        for attribute in self.attributes
        where attribute.type.isComprehensionRequired && !known.contains(attribute.type)
            && !unknown.contains(attribute.type)
        {
            unknown.append(attribute.type)
        }
        return unknown
    }
}
