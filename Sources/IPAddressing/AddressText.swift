/// The bytes and digit rules shared by the address and range parsers (ASCII only).
enum AddressText {
    static let colon = UInt8(ascii: ":")
    static let dot = UInt8(ascii: ".")
    static let percent = UInt8(ascii: "%")
    static let slash = UInt8(ascii: "/")
    static let hyphen = UInt8(ascii: "-")

    /// The value of a decimal digit, or nil.
    static func decimalValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        default: nil
        }
    }

    /// Whether `byte` is an RFC 3986 unreserved character (letters, digits, `-._~`).
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// The value of a hexadecimal digit of either case, or nil.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The number that all of `bytes` spells in decimal, with at most `maximumDigits` digits
    /// and no leading zero (other than `0` itself); nil otherwise.
    static func decimalNumber(_ bytes: ArraySlice<UInt8>, maximumDigits: Int) -> Int? {
        guard !bytes.isEmpty, bytes.count <= maximumDigits else { return nil }
        guard bytes.first != UInt8(ascii: "0") || bytes.count == 1 else { return nil }
        var value = 0
        for byte in bytes {
            guard let digit = Self.decimalValue(byte) else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }
}
