import Crypto

/// HMAC computation and constant-time checking for the message-integrity attributes.
enum STUNIntegrityCode {
    static func compute(_ algorithm: STUNIntegrityAlgorithm, key: [UInt8], over bytes: [UInt8]) -> [UInt8] {
        let symmetricKey = SymmetricKey(data: key)
        switch algorithm {
        case .sha1:
            return Array(HMAC<Insecure.SHA1>.authenticationCode(for: bytes, using: symmetricKey))
        case .sha256:
            return Array(HMAC<SHA256>.authenticationCode(for: bytes, using: symmetricKey))
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
