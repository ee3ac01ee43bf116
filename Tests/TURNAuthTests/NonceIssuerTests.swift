import Foundation
import STUNWire
import Testing
import TURNAuth
import TURNTestSupport

struct NonceIssuerTests {
    @Test func validatesItsOwnNonceForTheSameClient() {
        let issuer = AuthFixture.issuer()
        let nonce = issuer.nonce(for: AuthFixture.client, now: AuthFixture.start, features: .passwordAlgorithms)
        #expect(issuer.validate(nonce, client: AuthFixture.client, now: AuthFixture.start) == .valid)
    }

    @Test func roundTripsForAnIPv6Client() {
        let issuer = AuthFixture.issuer()
        let client = STUNTransportAddress(address: .v6(high: 0x2001_0DB8_0000_0000, low: 1), port: 5000)
        let nonce = issuer.nonce(for: client, now: AuthFixture.start)
        #expect(issuer.validate(nonce, client: client, now: AuthFixture.start) == .valid)
    }

    @Test(arguments: [STUNSecurityFeatures(), .passwordAlgorithms])
    func startsWithTheNonceCookie(features: STUNSecurityFeatures) {
        let nonce = AuthFixture.issuer().nonce(for: AuthFixture.client, now: AuthFixture.start, features: features)
        #expect(nonce.hasPrefix(NonceCookie.cookie(for: features)))
        #expect(NonceCookie.features(of: nonce) == features)
    }

    /// RFC 8489 Section 14.10: qdtext or quoted-pair, under 128 characters.
    @Test func isPrintableAndShort() {
        let nonce = AuthFixture.issuer().nonce(for: AuthFixture.client, now: AuthFixture.start, features: .passwordAlgorithms)
        #expect(nonce.utf8.count == NonceIssuer.nonceLength)
        #expect(nonce.utf8.count <= 127)
        #expect(nonce.utf8.allSatisfy { (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") })
    }

    @Test(arguments: [
        (0.0, NonceValidity.valid),
        (599.0, .valid),
        (600.0, .valid),
        (601.0, .stale),
        (86_400.0, .stale),
        (-5.0, .valid),
        (-6.0, .invalid),
    ])
    func agesAgainstTheLifetime(secondsLater: TimeInterval, validity: NonceValidity) {
        let issuer = AuthFixture.issuer()
        let nonce = issuer.nonce(for: AuthFixture.client, now: AuthFixture.start)
        let now = AuthFixture.start.addingTimeInterval(secondsLater)
        #expect(issuer.validate(nonce, client: AuthFixture.client, now: now) == validity)
    }

    @Test func honoursAConfiguredLifetime() {
        var generator = SplitMix64(seed: 9)
        let issuer = NonceIssuer(lifetime: 30, using: &generator)
        let nonce = issuer.nonce(for: AuthFixture.client, now: AuthFixture.start)
        #expect(issuer.validate(nonce, client: AuthFixture.client, now: AuthFixture.start.addingTimeInterval(30)) == .valid)
        #expect(issuer.validate(nonce, client: AuthFixture.client, now: AuthFixture.start.addingTimeInterval(31)) == .stale)
    }

    @Test(arguments: [
        AuthFixture.otherClient,
        STUNTransportAddress(address: .v4(0xC000_0201), port: 40001),
        STUNTransportAddress(address: .v6(high: 0, low: 0xFFFF_C000_0201), port: 40000),
    ])
    func isInvalidFromAnotherAddress(other: STUNTransportAddress) {
        let issuer = AuthFixture.issuer()
        let nonce = issuer.nonce(for: AuthFixture.client, now: AuthFixture.start)
        #expect(issuer.validate(nonce, client: other, now: AuthFixture.start) == .invalid)
    }

    @Test(arguments: 0..<NonceIssuer.nonceLength)
    func isInvalidWithAnyCharacterChanged(offset: Int) {
        let issuer = AuthFixture.issuer()
        var characters = Array(issuer.nonce(for: AuthFixture.client, now: AuthFixture.start, features: .passwordAlgorithms))
        characters[offset] = characters[offset] == "A" ? "B" : "A"
        #expect(issuer.validate(String(characters), client: AuthFixture.client, now: AuthFixture.start) == .invalid)
    }

    @Test func isInvalidUnderAnotherKey() {
        let nonce = AuthFixture.issuer(seed: 1).nonce(for: AuthFixture.client, now: AuthFixture.start)
        #expect(AuthFixture.issuer(seed: 2).validate(nonce, client: AuthFixture.client, now: AuthFixture.start) == .invalid)
    }

    @Test func isValidUnderTheSameKeyOnAnotherIssuer() {
        let key = Array(repeating: UInt8(0x5A), count: NonceIssuer.keyByteCount)
        let nonce = NonceIssuer(key: key).nonce(for: AuthFixture.client, now: AuthFixture.start)
        #expect(NonceIssuer(key: key).validate(nonce, client: AuthFixture.client, now: AuthFixture.start) == .valid)
    }

    @Test(arguments: [
        "",
        "obMatJos2AAAB",
        "obMatJos2AAABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "obMatJos2AAAB" + String(repeating: "=", count: 32),
        "f//499k954d6OL34oL9FSTvy64sA",
        String(repeating: "x", count: 763),
    ])
    func rejectsForeignNonces(nonce: String) {
        #expect(AuthFixture.issuer().validate(nonce, client: AuthFixture.client, now: AuthFixture.start) == .invalid)
    }

    @Test func describesItselfWithoutTheKey() {
        let key = Array(repeating: UInt8(0x5A), count: NonceIssuer.keyByteCount)
        let text = String(describing: NonceIssuer(key: key))
        #expect(text.contains("redacted"))
        #expect(!text.contains("90"))
    }
}

/// A fleet's shared key (`nonce-secret-file`): its text, and rotation without dropped clients.
struct NonceKeyRotationTests {
    private static let keyA = [UInt8](repeating: 0xA5, count: 32)
    private static let keyB = [UInt8](repeating: 0x5A, count: 32)

    @Test func twoIssuersWithOneKeyAcceptEachOthersNonces() {
        let first = NonceIssuer(key: Self.keyA), second = NonceIssuer(key: Self.keyA)
        let nonce = first.nonce(for: AuthFixture.client, now: AuthFixture.start)
        #expect(second.validate(nonce, client: AuthFixture.client, now: AuthFixture.start) == .valid)
        #expect(NonceIssuer(key: Self.keyB).validate(nonce, client: AuthFixture.client, now: AuthFixture.start) == .invalid)
    }

    @Test func aRotatedIssuerAcceptsThePreviousKeysNoncesUntilTheyAreStale() {
        let old = NonceIssuer(key: Self.keyA, lifetime: 600)
        let nonce = old.nonce(for: AuthFixture.client, now: AuthFixture.start)
        let rotated = old.rotated(to: NonceIssuer(key: Self.keyB, lifetime: 600), at: AuthFixture.start.addingTimeInterval(100))
        #expect(rotated.validate(nonce, client: AuthFixture.client, now: AuthFixture.start.addingTimeInterval(200)) == .valid)
        #expect(rotated.validate(nonce, client: AuthFixture.otherClient, now: AuthFixture.start.addingTimeInterval(200)) == .invalid)
        #expect(rotated.validate(nonce, client: AuthFixture.client, now: AuthFixture.start.addingTimeInterval(701)) == .invalid)
        let fresh = rotated.nonce(for: AuthFixture.client, now: AuthFixture.start.addingTimeInterval(200))
        #expect(NonceIssuer(key: Self.keyB).validate(fresh, client: AuthFixture.client, now: AuthFixture.start.addingTimeInterval(200)) == .valid)
        #expect(old.validate(fresh, client: AuthFixture.client, now: AuthFixture.start.addingTimeInterval(200)) == .invalid)
    }

    @Test func onlyTheKeyBeforeTheNewestStaysAccepted() {
        let first = NonceIssuer(key: Self.keyA)
        let nonce = first.nonce(for: AuthFixture.client, now: AuthFixture.start)
        let twice = first.rotated(to: NonceIssuer(key: Self.keyB), at: AuthFixture.start)
            .rotated(to: NonceIssuer(key: [UInt8](repeating: 7, count: 32)), at: AuthFixture.start)
        #expect(twice.validate(nonce, client: AuthFixture.client, now: AuthFixture.start) == .invalid)
    }

    @Test func comparesKeysWithoutRevealingThem() {
        #expect(NonceIssuer(key: Self.keyA).hasSameKey(as: NonceIssuer(key: Self.keyA, lifetime: 30)))
        #expect(!NonceIssuer(key: Self.keyA).hasSameKey(as: NonceIssuer(key: Self.keyB)))
        #expect(!"\(NonceIssuer(key: Self.keyA))".contains("a5"))
    }

    @Test(arguments: [
        String(repeating: "a5", count: 32),
        "  " + String(repeating: "A5", count: 32) + "\n",
        "paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU=",
        "paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU",
    ])
    func readsAHexOrBase64Key(text: String) throws {
        #expect(try NonceIssuer.key(parsing: text, minimumBytes: 32) == Self.keyA)
    }

    @Test(arguments: ["", "a5a5", String(repeating: "a5", count: 31), "not a key at all!", "####"])
    func refusesTextThatIsNotALongEnoughKey(text: String) {
        #expect(throws: NonceIssuer.KeyTextError.self) { try NonceIssuer.key(parsing: text, minimumBytes: 32) }
    }

    @Test func derivesOneKeyPerPassphrase() {
        let key = NonceIssuer.key(derivingFrom: "fleet-nonce-secret")
        #expect(key.count == 32)
        #expect(key == NonceIssuer.key(derivingFrom: "fleet-nonce-secret"))
        #expect(key != NonceIssuer.key(derivingFrom: "fleet-nonce-secreT"))
        #expect(key != Array("fleet-nonce-secret".utf8))
        let first = NonceIssuer(key: key), second = NonceIssuer(key: NonceIssuer.key(derivingFrom: "fleet-nonce-secret"))
        let client = AuthFixture.client
        let nonce = first.nonce(for: client, now: AuthFixture.start)
        #expect(second.validate(nonce, client: client, now: AuthFixture.start) == .valid)
    }
}
