/// EVEN-PORT: asks for an even relay port, and optionally to reserve the next one.
///
/// RFC 8656 Section 18.7: one byte whose top bit (R) asks for the reservation.
public struct EvenPort: STUNAttributeValue, Hashable {
    public static let attributeType = STUNAttributeType.evenPort

    /// Whether the next higher port should be reserved.
    public var reserveNextPort: Bool

    /// Creates the attribute.
    public init(reserveNextPort: Bool) { self.reserveNextPort = reserveNextPort }

    public init(value: [UInt8], transactionID: STUNTransactionID) throws(STUNParseError) {
        guard value.count == 1, let flags = value.first else { throw .invalidAttributeValue }
        self.reserveNextPort = flags & 0x80 != 0
    }

    public func encodeValue(transactionID: STUNTransactionID) -> [UInt8] {
        [self.reserveNextPort ? 0x80 : 0]
    }
}
