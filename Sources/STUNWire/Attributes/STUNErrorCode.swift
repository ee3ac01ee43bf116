/// A STUN error response code: the class (hundreds) and number of an ERROR-CODE.
///
/// An open set wrapping the wire value 300-699 (RFC 8489 Section 14.8); the registered codes a
/// TURN server sends are constants here (RFC 8489 Section 18.3, RFC 8656 Section 19).
public struct STUNErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The code, e.g. 401.
    public let rawValue: UInt16

    /// Creates an error code from its number.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let tryAlternate = Self(rawValue: 300)
    public static let badRequest = Self(rawValue: 400)
    public static let unauthorized = Self(rawValue: 401)
    public static let forbidden = Self(rawValue: 403)
    public static let mobilityForbidden = Self(rawValue: 405)
    public static let unknownAttribute = Self(rawValue: 420)
    public static let allocationMismatch = Self(rawValue: 437)
    public static let staleNonce = Self(rawValue: 438)
    public static let addressFamilyNotSupported = Self(rawValue: 440)
    public static let wrongCredentials = Self(rawValue: 441)
    public static let unsupportedTransportProtocol = Self(rawValue: 442)
    public static let peerAddressFamilyMismatch = Self(rawValue: 443)
    public static let connectionAlreadyExists = Self(rawValue: 446)
    public static let connectionTimeoutOrFailure = Self(rawValue: 447)
    public static let allocationQuotaReached = Self(rawValue: 486)
    public static let roleConflict = Self(rawValue: 487)
    public static let serverError = Self(rawValue: 500)
    public static let insufficientCapacity = Self(rawValue: 508)

    /// The reason phrase RFC 8489 and RFC 8656 suggest for registered codes.
    public var defaultReason: String {
        switch self {
        case .tryAlternate: "Try Alternate"
        case .badRequest: "Bad Request"
        case .unauthorized: "Unauthorized"
        case .forbidden: "Forbidden"
        case .mobilityForbidden: "Mobility Forbidden"
        case .unknownAttribute: "Unknown Attribute"
        case .allocationMismatch: "Allocation Mismatch"
        case .staleNonce: "Stale Nonce"
        case .addressFamilyNotSupported: "Address Family not Supported"
        case .wrongCredentials: "Wrong Credentials"
        case .unsupportedTransportProtocol: "Unsupported Transport Protocol"
        case .peerAddressFamilyMismatch: "Peer Address Family Mismatch"
        case .connectionAlreadyExists: "Connection Already Exists"
        case .connectionTimeoutOrFailure: "Connection Timeout or Failure"
        case .allocationQuotaReached: "Allocation Quota Reached"
        case .roleConflict: "Role Conflict"
        case .serverError: "Server Error"
        case .insufficientCapacity: "Insufficient Capacity"
        default: "Error \(self.rawValue)"
        }
    }

    public var description: String { String(self.rawValue) }
}
