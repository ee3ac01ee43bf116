/// A linear pre-check of JSON nesting, run before any decoding of peer-supplied JSON (token
/// header and payload, JWKS documents).
///
/// Decoders recurse once per level, and some recursive decoding strategies cost far more than
/// linear time in the depth; refusing deep documents up front bounds both.
enum JSONDepth {
    /// The deepest nesting of arrays and objects accepted in a token part.
    static let maximumTokenDepth = 8
    /// The deepest nesting accepted in a JWKS document (`{"keys": [{"x5c": [...]}]}` is 3).
    static let maximumJWKSDepth = 8

    /// Whether `bytes` nest arrays and objects deeper than `limit` (brackets inside strings do
    /// not count). Malformed JSON is left to the decoder.
    static func exceeds(_ bytes: some Sequence<UInt8>, limit: Int) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
            default:
                break
            }
        }
        return false
    }
}
