import Foundation

/// The "nonce cookie" that starts the NONCE of an RFC 8489 server.
///
/// RFC 8489 Section 9.2: the string `obMatJos2` followed by the four-character base64 encoding of
/// the 24-bit ``STUNSecurityFeatures`` set, 13 characters in all. An RFC 8489 client reads the
/// cookie to learn which features the server supports; an RFC 5389 client treats it as part of
/// an opaque nonce.
public enum NonceCookie {
    /// The fixed start of every nonce cookie.
    public static let magic = "obMatJos2"
    /// The length of the whole cookie: the magic and four base64 characters.
    public static let length = 13

    /// The cookie advertising `features`.
    public static func cookie(for features: STUNSecurityFeatures) -> String {
        let bits = features.rawValue
        let bytes = [UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 8), UInt8(truncatingIfNeeded: bits)]
        return Self.magic + Data(bytes).base64EncodedString()
    }

    /// The features a nonce's cookie advertises, or nil when the nonce has no cookie.
    public static func features(of nonce: String) -> STUNSecurityFeatures? {
        let utf8 = Array(nonce.utf8.prefix(Self.length))
        guard utf8.count == Self.length, utf8.starts(with: Self.magic.utf8),
            let encoded = String(validating: utf8[Self.magic.utf8.count...], as: UTF8.self),
            let decoded = Data(base64Encoded: encoded), decoded.count == 3
        else { return nil }
        let bits = decoded.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return STUNSecurityFeatures(rawValue: bits)
    }
}
