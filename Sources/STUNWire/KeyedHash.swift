import Crypto

/// HMAC (RFC 2104) over swift-crypto's SHA-1 and SHA-256, fed contiguous bytes.
///
/// The same codes as swift-crypto's `HMAC`, without its per-call costs on the control path: a
/// `SymmetricKey` allocated per code and the key and message fed through the generic
/// `DataProtocol` path (in a profile of Allocate, `HMAC.init(key:)` alone was a tenth of the
/// relay's CPU). The padded key lives on the stack; both hashes take the bytes directly.
package enum KeyedHash {
    /// HMAC-SHA1 of `message` under `key` (20 bytes).
    package static func sha1(key: [UInt8], message: [UInt8]) -> [UInt8] {
        Self.code(Insecure.SHA1.self, key: key, message: message)
    }

    /// HMAC-SHA256 of `message` under `key` (32 bytes).
    package static func sha256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        Self.code(SHA256.self, key: key, message: message)
    }

    private static func code<H: HashFunction>(_: H.Type, key: [UInt8], message: [UInt8]) -> [UInt8] {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: H.blockByteCount) { block in
            block.initialize(repeating: 0)
            key.withUnsafeBytes { key in
                if key.count > H.blockByteCount {
                    var long = H()
                    long.update(bufferPointer: key)
                    long.finalize().withUnsafeBytes { digest in
                        _ = UnsafeMutableRawBufferPointer(block).copyBytes(from: digest)
                    }
                } else {
                    _ = UnsafeMutableRawBufferPointer(block).copyBytes(from: key)
                }
            }
            var inner = H()
            Self.update(&inner, with: block, xor: 0x36)
            message.withUnsafeBytes { inner.update(bufferPointer: $0) }
            var outer = H()
            Self.update(&outer, with: block, xor: 0x5C)
            inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
            return outer.finalize().withUnsafeBytes { Array($0) }
        }
    }

    /// Feeds the padded key XOR `pad` to `hash`, one block, from the stack.
    private static func update<H: HashFunction>(_ hash: inout H, with block: UnsafeMutableBufferPointer<UInt8>, xor pad: UInt8) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: block.count) { padded in
            for index in 0..<block.count { padded[index] = block[index] ^ pad }
            hash.update(bufferPointer: UnsafeRawBufferPointer(padded))
        }
    }
}
