/// A STUN method: the 12-bit operation a message performs.
///
/// An open set: unknown methods round-trip. RFC 8489 Section 18.2 registers Binding; RFC 8656
/// Section 17 the TURN methods; RFC 6062 Section 6.1 the TCP-allocation methods.
public struct STUNMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The method number, 0x000-0xFFF.
    public let rawValue: UInt16

    /// Creates a method from its number; bits above the low 12 are dropped.
    public init(rawValue: UInt16) { self.rawValue = rawValue & 0x0FFF }

    /// Binding (RFC 8489 Section 18.2).
    public static let binding = STUNMethod(rawValue: 0x001)
    /// Allocate (RFC 8656 Section 7).
    public static let allocate = STUNMethod(rawValue: 0x003)
    /// Refresh (RFC 8656 Section 8).
    public static let refresh = STUNMethod(rawValue: 0x004)
    /// Send (RFC 8656 Section 11).
    public static let send = STUNMethod(rawValue: 0x006)
    /// Data (RFC 8656 Section 11).
    public static let data = STUNMethod(rawValue: 0x007)
    /// CreatePermission (RFC 8656 Section 10).
    public static let createPermission = STUNMethod(rawValue: 0x008)
    /// ChannelBind (RFC 8656 Section 12).
    public static let channelBind = STUNMethod(rawValue: 0x009)
    /// Connect (RFC 6062 Section 4.3).
    public static let connect = STUNMethod(rawValue: 0x00A)
    /// ConnectionBind (RFC 6062 Section 4.4).
    public static let connectionBind = STUNMethod(rawValue: 0x00B)
    /// ConnectionAttempt (RFC 6062 Section 4.5).
    public static let connectionAttempt = STUNMethod(rawValue: 0x00C)

    public var description: String {
        switch self {
        case .binding: "Binding"
        case .allocate: "Allocate"
        case .refresh: "Refresh"
        case .send: "Send"
        case .data: "Data"
        case .createPermission: "CreatePermission"
        case .channelBind: "ChannelBind"
        case .connect: "Connect"
        case .connectionBind: "ConnectionBind"
        case .connectionAttempt: "ConnectionAttempt"
        default: "Method(0x\(String(self.rawValue, radix: 16)))"
        }
    }
}
