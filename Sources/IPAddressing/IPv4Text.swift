/// The dotted-quad IPv4 text form, as `inet_pton` reads it.
enum IPv4Text {
    /// The address that all of `bytes` spells, or nil.
    ///
    /// Four octets of one to three decimal digits, each at most 255, with no leading zeros.
    static func parse(_ bytes: ArraySlice<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var octets = 0
        var start = bytes.startIndex
        while true {
            let end = bytes[start...].firstIndex(of: AddressText.dot) ?? bytes.endIndex
            guard let octet = AddressText.decimalNumber(bytes[start..<end], maximumDigits: 3), octet <= 255 else {
                return nil
            }
            value = value << 8 | UInt32(octet)
            octets += 1
            guard end < bytes.endIndex else { break }
            guard octets < 4 else { return nil }
            start = end + 1
        }
        return octets == 4 ? value : nil
    }
}
