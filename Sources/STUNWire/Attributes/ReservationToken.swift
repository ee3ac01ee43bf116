/// RESERVATION-TOKEN: names a relay port reserved by an earlier EVEN-PORT request (RFC 8656 Section 18.10).
public struct ReservationToken: STUNOpaqueAttribute, Hashable {
    public static let attributeType = STUNAttributeType.reservationToken
    public static let requiredByteCount: Int? = 8
    /// The bytes.
    public var bytes: [UInt8]
    /// Creates the attribute from its bytes.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
}
