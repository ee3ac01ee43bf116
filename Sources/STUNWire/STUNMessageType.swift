/// The 14-bit STUN message type: a method and a class interleaved.
///
/// RFC 8489 Section 5: the class bits C0 and C1 sit at bits 4 and 8 of the type, the method's
/// twelve bits fill the rest (M0-M3, M4-M6, M7-M11).
public struct STUNMessageType: Hashable, Sendable, CustomStringConvertible {
    /// The method.
    public var method: STUNMethod
    /// The class.
    public var messageClass: STUNMessageClass

    /// Creates a message type from a method and a class.
    public init(method: STUNMethod, messageClass: STUNMessageClass) {
        self.method = method
        self.messageClass = messageClass
    }

    /// Decodes the 14-bit wire value (the top two bits of the 16-bit field are ignored).
    public init(rawValue: UInt16) {
        let m = (rawValue & 0x000F) | ((rawValue & 0x00E0) >> 1) | ((rawValue & 0x3E00) >> 2)
        let c = ((rawValue & 0x0010) >> 4) | ((rawValue & 0x0100) >> 7)
        self.method = STUNMethod(rawValue: m)
        self.messageClass = STUNMessageClass(rawValue: UInt8(truncatingIfNeeded: c)) ?? .request
    }

    /// The 16-bit wire value.
    public var rawValue: UInt16 {
        let m = self.method.rawValue
        let c = UInt16(self.messageClass.rawValue)
        return (m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2)
            | ((c & 0b01) << 4) | ((c & 0b10) << 7)
    }

    public var description: String { "\(self.method) \(self.messageClass)" }

    /// The success response type for this request's method.
    public var successResponse: STUNMessageType { .init(method: self.method, messageClass: .successResponse) }
    /// The error response type for this request's method.
    public var errorResponse: STUNMessageType { .init(method: self.method, messageClass: .errorResponse) }
}
