import Testing
import TURNAuth

struct NonceCookieTests {
    /// RFC 8489 Section 9.2 with erratum 6290: bit 0 is the rightmost bit of the 24.
    @Test(arguments: [
        (STUNSecurityFeatures(), "obMatJos2AAAA"),
        (STUNSecurityFeatures.passwordAlgorithms, "obMatJos2AAAB"),
        (STUNSecurityFeatures.usernameAnonymity, "obMatJos2AAAC"),
        (STUNSecurityFeatures([.passwordAlgorithms, .usernameAnonymity]), "obMatJos2AAAD"),
    ])
    func encodesFeatureBits(features: STUNSecurityFeatures, cookie: String) {
        #expect(NonceCookie.cookie(for: features) == cookie)
        #expect(NonceCookie.features(of: cookie + "rest-of-nonce") == features)
    }

    /// The NONCE of RFC 8489 Appendix B.1, whose request uses USERHASH.
    @Test func readsTheAppendixB1Nonce() {
        #expect(NonceCookie.features(of: "obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA") == .usernameAnonymity)
    }

    @Test(arguments: ["", "obMatJos2", "obMatJos2AAA", "obMatJos3AAAB", "f//499k954d6OL34oL9FSTvy64sA", "obMatJos2AA*B"])
    func findsNoCookieInOtherNonces(nonce: String) {
        #expect(NonceCookie.features(of: nonce) == nil)
    }

    @Test(arguments: [("obMatJos2////", 0xFF_FFFF), ("obMatJos2+/09", 0xFB_FD3D), ("obMatJos2zZaA", 0xCD_9680)])
    func decodesEveryBase64Character(cookie: String, bits: UInt32) {
        #expect(NonceCookie.features(of: cookie) == STUNSecurityFeatures(rawValue: bits))
    }

    @Test func keepsOnlyTwentyFourBits() {
        #expect(STUNSecurityFeatures(rawValue: 0xFF00_0001) == .passwordAlgorithms)
    }
}
