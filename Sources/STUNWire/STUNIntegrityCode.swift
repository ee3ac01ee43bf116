/// HMAC computation and constant-time checking for the message-integrity attributes.
enum STUNIntegrityCode {
    static func compute(_ algorithm: STUNIntegrityAlgorithm, key: [UInt8], over bytes: [UInt8]) -> [UInt8] {
        switch algorithm {
        case .sha1: KeyedHash.sha1(key: key, message: bytes)
        case .sha256: KeyedHash.sha256(key: key, message: bytes)
        }
    }

    /// Whether `mac` is a valid (for SHA-256 possibly truncated) MAC of `bytes`, compared in constant time.
    static func isValid(_ mac: ArraySlice<UInt8>, algorithm: STUNIntegrityAlgorithm, key: [UInt8], over bytes: [UInt8]) -> Bool {
        let expected = Self.compute(algorithm, key: key, over: bytes)
        guard mac.count <= expected.count, !mac.isEmpty else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(mac, expected) {
            difference |= a ^ b
        }
        return difference == 0
    }
}
