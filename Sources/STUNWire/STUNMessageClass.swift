/// The class of a STUN message: request, indication, success or error response.
///
/// RFC 8489 Section 5: two bits, C1 and C0, spread through the message type.
public enum STUNMessageClass: UInt8, Hashable, Sendable, CaseIterable {
    case request = 0b00
    case indication = 0b01
    case successResponse = 0b10
    case errorResponse = 0b11
}
