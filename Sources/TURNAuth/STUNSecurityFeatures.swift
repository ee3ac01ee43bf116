/// The 24-bit STUN Security Feature set that a nonce cookie advertises.
///
/// RFC 8489 Section 18.1 registers the bits. Bit 0 is the least significant (rightmost) bit of
/// the set, as verified erratum 6290 to RFC 8489 corrects, so "Password algorithms" alone
/// encodes as `AAAB` in the nonce cookie (Section 9.2).
public struct STUNSecurityFeatures: OptionSet, Hashable, Sendable {
    /// The feature bits; only the low 24 are used.
    public let rawValue: UInt32

    /// Creates a set from its bits; bits above the low 24 are dropped.
    public init(rawValue: UInt32) { self.rawValue = rawValue & 0x00FF_FFFF }

    /// Bit 0, "Password algorithms": the server sends PASSWORD-ALGORITHMS and accepts
    /// PASSWORD-ALGORITHM (RFC 8489 Section 9.2.1).
    public static let passwordAlgorithms = STUNSecurityFeatures(rawValue: 1 << 0)
    /// Bit 1, "Username anonymity": the server accepts USERHASH (RFC 8489 Section 9.2.1).
    public static let usernameAnonymity = STUNSecurityFeatures(rawValue: 1 << 1)
}
