/// One attribute of a STUN message as it is on the wire: a type and its value bytes.
///
/// The raw level of the two-level attribute model (RFC 8489 Section 14): every attribute,
/// known or not, is kept as a `STUNAttribute`, so unknown attributes survive a round trip.
/// Typed attributes (``STUNAttributeValue``) decode from it and encode back to it.
public struct STUNAttribute: Hashable, Sendable {
    /// The attribute type.
    public var type: STUNAttributeType
    /// The value, without padding.
    public var value: [UInt8]
    /// The padding bytes as received, when they were not all zero; empty means zero padding.
    ///
    /// RFC 8489 Section 14 lets senders pad with any value and receivers ignore it; keeping
    /// it lets a parsed message re-serialise byte for byte.
    public var padding: [UInt8]

    /// Creates an attribute from its type and value.
    public init(type: STUNAttributeType, value: [UInt8], padding: [UInt8] = []) {
        self.type = type
        self.value = value
        self.padding = padding
    }

    /// The number of bytes this attribute takes in a message: header, value and padding.
    public var encodedLength: Int { 4 + (self.value.count + 3) & ~3 }

    /// Appends the attribute (header, value, padding) to `buffer`.
    public func serialize(into buffer: inout [UInt8]) {
        buffer.appendBigEndian(self.type.rawValue)
        buffer.appendBigEndian(UInt16(truncatingIfNeeded: self.value.count))
        buffer.append(contentsOf: self.value)
        let padCount = (4 - self.value.count % 4) % 4
        if self.padding.count == padCount {
            buffer.append(contentsOf: self.padding)
        } else {
            buffer.appendPadding(afterValueOfLength: self.value.count)
        }
    }
}
