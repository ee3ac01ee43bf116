import Crypto
import STUNWire
import Testing
import TURNTestSupport

/// HMAC-SHA1 and HMAC-SHA256 against RFC 2202 and RFC 4231, and against swift-crypto's HMAC for
/// every key length around the block size.
struct KeyedHashTests {
    private static func hex(_ text: String) -> [UInt8] {
        stride(from: 0, to: text.count, by: 2).map { offset in
            let start = text.index(text.startIndex, offsetBy: offset)
            return UInt8(text[start..<text.index(start, offsetBy: 2)], radix: 16)!
        }
    }

    private static let largeKeyMessage = Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)

    @Test func matchesRFC2202() {
        #expect(KeyedHash.sha1(key: [UInt8](repeating: 0x0B, count: 20), message: Array("Hi There".utf8))
            == Self.hex("b617318655057264e28bc0b6fb378c8ef146be00"))
        #expect(KeyedHash.sha1(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
            == Self.hex("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"))
        #expect(KeyedHash.sha1(key: [UInt8](repeating: 0xAA, count: 80), message: Self.largeKeyMessage)
            == Self.hex("aa4ae5e15272d00e95705637ce8a3b55ed402112"))
    }

    @Test func matchesRFC4231() {
        #expect(KeyedHash.sha256(key: [UInt8](repeating: 0x0B, count: 20), message: Array("Hi There".utf8))
            == Self.hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"))
        #expect(KeyedHash.sha256(key: [UInt8](repeating: 0xAA, count: 131), message: Self.largeKeyMessage)
            == Self.hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"))
    }

    @Test(arguments: [0, 1, 16, 20, 32, 63, 64, 65, 128, 200])
    func agreesWithSwiftCrypto(keyLength: Int) {
        var generator = SplitMix64(seed: UInt64(keyLength))
        let key = (0..<keyLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        for messageLength in [0, 1, 55, 64, 100, 1500] {
            let message = (0..<messageLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let symmetricKey = SymmetricKey(data: key)
            #expect(KeyedHash.sha1(key: key, message: message) == Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: symmetricKey)))
            #expect(KeyedHash.sha256(key: key, message: message) == Array(HMAC<SHA256>.authenticationCode(for: message, using: symmetricKey)))
        }
    }
}
