import Foundation

/// Unpadded base64url (RFC 7515 Section 2), as JWS uses it.
enum Base64URL {
    /// Decodes unpadded base64url; nil for padding, other characters or a bad length.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        guard text.count % 4 != 1 else { return nil }
        var standard = ""
        standard.reserveCapacity(text.count + 3)
        for character in text {
            switch character {
            case "-": standard.append("+")
            case "_": standard.append("/")
            case "A"..."Z", "a"..."z", "0"..."9": standard.append(character)
            default: return nil
            }
        }
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard).map { Array($0) }
    }

    /// Encodes `bytes` as unpadded base64url.
    static func encode(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }
}
