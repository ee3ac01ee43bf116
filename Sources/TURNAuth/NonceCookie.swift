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
    ///
    /// Decodes the four base64 characters itself: every authenticated request reads the cookie.
    public static func features(of nonce: String) -> STUNSecurityFeatures? {
        let utf8 = nonce.utf8.prefix(Self.length)
        guard utf8.count == Self.length, utf8.starts(with: Self.magic.utf8) else { return nil }
        var bits: UInt32 = 0
        for character in utf8.dropFirst(Self.magic.utf8.count) {
            guard let value = Self.base64Value(character) else { return nil }
            bits = bits << 6 | UInt32(value)
        }
        return STUNSecurityFeatures(rawValue: bits)
    }

    /// The six bits a character of the standard base64 alphabet stands for.
    private static func base64Value(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
