import STUNWire
import Testing
import TURNTestSupport

struct IntegrityTests {
    static let transactionID = STUNTransactionID(high: 0x0102_0304, low: 0x0506_0708_090A_0B0C)
    static let key = Array("secret".utf8)

    /// USERNAME "alice", MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT under the
    /// key "secret", computed with Python's `hmac`, `hashlib` and `zlib` (RFC 8489 Section 14.6:
    /// the SHA-256 MAC covers the SHA-1 one).
    static let dualIntegrityMessage: [UInt8] = [
        0x00, 0x01, 0x00, 0x50, 0x21, 0x12, 0xa4, 0x42, 0x01, 0x02, 0x03, 0x04,
        0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x00, 0x06, 0x00, 0x05,
        0x61, 0x6c, 0x69, 0x63, 0x65, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x14,
        0xb9, 0x3f, 0x2e, 0x66, 0xf3, 0xc7, 0xb6, 0x1f, 0xb0, 0x14, 0x7d, 0xaf,
        0x18, 0xdf, 0xec, 0x51, 0x76, 0x57, 0x2b, 0xcc, 0x00, 0x1c, 0x00, 0x20,
        0xf5, 0x22, 0x22, 0x30, 0x5e, 0xba, 0x5e, 0x6f, 0xc0, 0xa5, 0x7b, 0xb9,
        0xe9, 0x23, 0x9d, 0x94, 0x78, 0x5e, 0xd3, 0x47, 0x4c, 0xb9, 0x9e, 0x55,
        0xd9, 0xb2, 0xeb, 0x25, 0x6e, 0xfe, 0x5e, 0xb3, 0x80, 0x28, 0x00, 0x04,
        0x76, 0x39, 0x73, 0x9b,
    ]

    /// A Binding request with USERNAME "alice", ready for an integrity attribute.
    static var unsignedRequest: STUNMessage {
        var message = STUNMessage(
            type: .init(method: .binding, messageClass: .request),
            transactionID: Self.transactionID
        )
        message.append(Username("alice"))
        return message
    }

    /// A request with several attributes, signed with `algorithm`, with FINGERPRINT.
    static func signedRequest(_ algorithm: STUNIntegrityAlgorithm) -> [UInt8] {
        var message = STUNMessage(
            type: .init(method: .allocate, messageClass: .request),
            transactionID: Self.transactionID
        )
        message.append(RequestedTransport.udp)
        message.append(Username("alice"))
        message.append(Realm("example.org"))
        message.append(Nonce("abc"))
        return message.serialize(integrity: (Self.key, algorithm), fingerprint: true)
    }

    @Test(arguments: [STUNIntegrityAlgorithm.sha1, .sha256])
    func builtMessagesValidate(algorithm: STUNIntegrityAlgorithm) throws {
        let message = try STUNMessage(parsing: Self.signedRequest(algorithm))
        #expect(message.integrityAlgorithm == algorithm)
        #expect(message.hasValidFingerprint)
        switch algorithm {
        case .sha1:
            #expect(message.hasValidMessageIntegrity(key: Self.key))
            #expect(!message.hasValidMessageIntegritySHA256(key: Self.key))
            #expect(message.attribute(.messageIntegrity)?.value.count == 20)
        case .sha256:
            #expect(message.hasValidMessageIntegritySHA256(key: Self.key))
            #expect(!message.hasValidMessageIntegrity(key: Self.key))
            #expect(message.attribute(.messageIntegritySHA256)?.value.count == 32)
        }
        #expect(message.attributes.last?.type == .fingerprint)
    }

    @Test(arguments: [STUNIntegrityAlgorithm.sha1, .sha256])
    func wrongKeyFails(algorithm: STUNIntegrityAlgorithm) throws {
        let message = try STUNMessage(parsing: Self.signedRequest(algorithm))
        let wrong = Array("secreT".utf8)
        #expect(!message.hasValidMessageIntegrity(key: wrong))
        #expect(!message.hasValidMessageIntegritySHA256(key: wrong))
    }

    @Test(arguments: [STUNIntegrityAlgorithm.sha1, .sha256])
    func flippingAnyByteBeforeTheMACBreaksIt(algorithm: STUNIntegrityAlgorithm) throws {
        let bytes = Self.signedRequest(algorithm)
        let original = try STUNMessage(parsing: bytes)
        let integrityOffset = try #require(
            algorithm == .sha1 ? original.messageIntegrityOffset : original.messageIntegritySHA256Offset
        )
        let macEnd = integrityOffset + 4 + (algorithm == .sha1 ? 20 : 32)
        var stillValid: [Int] = []
        for index in 0..<macEnd {
            var corrupted = bytes
            corrupted[index] ^= 0x01
            guard let message = try? STUNMessage(parsing: corrupted) else { continue }
            let valid =
                switch algorithm {
                case .sha1: message.hasValidMessageIntegrity(key: Self.key)
                case .sha256: message.hasValidMessageIntegritySHA256(key: Self.key)
                }
            if valid { stillValid.append(index) }
        }
        #expect(stillValid.isEmpty)
    }

    @Test(arguments: [STUNIntegrityAlgorithm.sha1, .sha256])
    func bytesAfterTheMACAreNotCovered(algorithm: STUNIntegrityAlgorithm) throws {
        var bytes = Self.signedRequest(algorithm)
        bytes[bytes.count - 1] ^= 0xFF
        let message = try STUNMessage(parsing: bytes)
        #expect(!message.hasValidFingerprint)
        switch algorithm {
        case .sha1: #expect(message.hasValidMessageIntegrity(key: Self.key))
        case .sha256: #expect(message.hasValidMessageIntegritySHA256(key: Self.key))
        }
    }

    @Test func fingerprintDetectsCorruptionAnywhere() throws {
        let bytes = Self.signedRequest(.sha1)
        var undetected: [Int] = []
        for index in bytes.indices {
            for mask: UInt8 in [0x01, 0x80] {
                var corrupted = bytes
                corrupted[index] ^= mask
                if let message = try? STUNMessage(parsing: corrupted), message.hasValidFingerprint {
                    undetected.append(index)
                }
            }
        }
        #expect(undetected.isEmpty)
    }

    @Test func fingerprintWithAShortLengthFieldIsInvalid() throws {
        var bytes = Self.signedRequest(.sha1)
        let fingerprintOffset = try #require(try STUNMessage(parsing: bytes).fingerprintOffset)
        bytes[fingerprintOffset + 3] = 3
        let message = try STUNMessage(parsing: bytes)
        #expect(message.fingerprintOffset == fingerprintOffset)
        #expect(!message.hasValidFingerprint)
    }

    @Test func serialisingReplacesExistingIntegrityAndFingerprint() throws {
        let first = try STUNMessage(parsing: Self.signedRequest(.sha1))
        let resigned = first.serialize(integrity: (Self.key, .sha256), fingerprint: false)
        let message = try STUNMessage(parsing: resigned)
        #expect(
            message.attributes.map(\.type) == [.requestedTransport, .username, .realm, .nonce, .messageIntegritySHA256]
        )
        #expect(message.hasValidMessageIntegritySHA256(key: Self.key))
        #expect(message.fingerprintOffset == nil)
    }

    // MARK: Truncated and malformed MACs

    /// HMAC-SHA256 under "secret" of the unsigned request with its length set for a MAC of the
    /// given size, truncated to that size; computed with Python's `hmac` and `hashlib`.
    static let truncatedSHA256MACs: [Int: [UInt8]] = [
        16: [0x9d, 0x68, 0xa5, 0xec, 0x94, 0x82, 0xb9, 0xdc, 0x85, 0x5b, 0x72, 0xdd, 0xdd, 0x16, 0x7f, 0x98],
        20: [
            0x1a, 0x5a, 0x8a, 0x9b, 0x4d, 0x23, 0x87, 0xb2, 0x16, 0x27, 0x56, 0x4a, 0xef, 0x11, 0x06, 0x88,
            0xba, 0x25, 0xe1, 0x24,
        ],
        24: [
            0xb4, 0xfa, 0x87, 0x81, 0x6b, 0xee, 0x9b, 0xc1, 0xa6, 0xdc, 0xff, 0xa6, 0xfa, 0xd5, 0x5d, 0xaf,
            0x1e, 0x37, 0xbe, 0xff, 0xa3, 0x3c, 0x0c, 0x1f,
        ],
        28: [
            0x21, 0xa3, 0xa5, 0xb9, 0x94, 0xb3, 0xf7, 0x33, 0xcc, 0x83, 0x13, 0x37, 0x22, 0x0c, 0xa1, 0x67,
            0x58, 0xca, 0x19, 0x13, 0xef, 0x43, 0x36, 0x97, 0xe4, 0x64, 0x49, 0x0f,
        ],
        32: [
            0x90, 0xb2, 0x1d, 0x47, 0x16, 0x14, 0xd3, 0x67, 0xc2, 0x74, 0x27, 0xca, 0xa2, 0x42, 0xdd, 0xf1,
            0x52, 0xd3, 0x15, 0x3e, 0x05, 0x11, 0xd7, 0xce, 0xd2, 0xae, 0x7b, 0xe1, 0xcb, 0xd6, 0xe5, 0xdb,
        ],
    ]

    /// The unsigned request with a MESSAGE-INTEGRITY-SHA256 attribute carrying `mac` appended by hand.
    static func requestWithSHA256MAC(_ mac: [UInt8]) -> [UInt8] {
        var message = Self.unsignedRequest
        message.attributes.append(STUNAttribute(type: .messageIntegritySHA256, value: mac))
        return message.serialize()
    }

    @Test(arguments: [16, 20, 24, 28, 32])
    func truncatedSHA256MACValidates(length: Int) throws {
        let mac = try #require(Self.truncatedSHA256MACs[length])
        let message = try STUNMessage(parsing: Self.requestWithSHA256MAC(mac))
        #expect(message.hasValidMessageIntegritySHA256(key: Self.key))
        #expect(!message.hasValidMessageIntegritySHA256(key: Array("Secret".utf8)))
        var tampered = mac
        tampered[length - 1] ^= 0x01
        #expect(
            try !STUNMessage(parsing: Self.requestWithSHA256MAC(tampered)).hasValidMessageIntegritySHA256(key: Self.key)
        )
    }

    @Test func fullSHA256MACMatchesPython() throws {
        let serialised = Self.unsignedRequest.serialize(integrity: (Self.key, .sha256), fingerprint: false)
        #expect(Array(serialised.suffix(32)) == Self.truncatedSHA256MACs[32])
    }

    @Test(arguments: [0, 4, 12, 18, 30, 36])
    func sha256MACOfABadLengthIsInvalid(length: Int) throws {
        let full = try #require(Self.truncatedSHA256MACs[32])
        let mac = Array((full + full).prefix(length))
        let message = try STUNMessage(parsing: Self.requestWithSHA256MAC(mac))
        #expect(!message.hasValidMessageIntegritySHA256(key: Self.key))
    }

    @Test(arguments: [0, 16, 24])
    func sha1MACMustBeTwentyBytes(length: Int) throws {
        let signed = try STUNMessage(
            parsing: Self.unsignedRequest.serialize(integrity: (Self.key, .sha1), fingerprint: false)
        )
        let mac = try #require(signed.attribute(.messageIntegrity)).value
        var message = Self.unsignedRequest
        message.attributes.append(STUNAttribute(type: .messageIntegrity, value: Array((mac + mac).prefix(length))))
        #expect(try !STUNMessage(parsing: message.serialize()).hasValidMessageIntegrity(key: Self.key))
    }

    @Test func dualIntegrityVectorValidates() throws {
        let message = try STUNMessage(parsing: Self.dualIntegrityMessage)
        #expect(message.hasValidMessageIntegrity(key: Self.key))
        #expect(message.hasValidMessageIntegritySHA256(key: Self.key))
        #expect(message.hasValidFingerprint)
        #expect(message.serialize() == Self.dualIntegrityMessage)
    }

    // MARK: Keys

    @Test func longTermMD5KeyKnownAnswer() {
        #expect(
            LongTermKey.md5(username: "user", realm: "realm", password: "pass")
                == Self.hex("8493fbc53ba582fb4c044c456bdc40eb")
        )
        #expect(
            LongTermKey.md5(username: RFC5769.longTermUsername, realm: "example.org", password: "TheMatrIX")
                == Self.hex("e8ca7ad59d5eb0518e312911d2dab2a9")
        )
    }

    @Test func longTermSHA256KeyKnownAnswer() {
        #expect(
            LongTermKey.sha256(username: "user", realm: "realm", password: "pass")
                == Self.hex("07e934117abd40836e7c6329b54731b2b2d2a5f9a71f544922d75e0730d8251b")
        )
    }

    @Test func keyForPasswordAlgorithm() {
        #expect(
            LongTermKey.key(for: .md5, username: "user", realm: "realm", password: "pass")
                == Self.hex("8493fbc53ba582fb4c044c456bdc40eb")
        )
        #expect(
            LongTermKey.key(for: .sha256, username: "user", realm: "realm", password: "pass")
                == Self.hex("07e934117abd40836e7c6329b54731b2b2d2a5f9a71f544922d75e0730d8251b")
        )
        #expect(
            LongTermKey.key(for: PasswordAlgorithm(number: 3), username: "user", realm: "realm", password: "pass")
                == nil
        )
    }

    @Test func userHashKnownAnswer() {
        #expect(
            LongTermKey.userHash(username: "user", realm: "realm").bytes
                == Self.hex("6a3029116b47aa98bcaa325399733dc1a23cd57e26b81bef3ff6531ce624e2da")
        )
        let rfc8489 = LongTermKey.userHash(username: RFC5769.longTermUsername, realm: "example.org")
        #expect(rfc8489.bytes == Self.hex("4a3cf38fef6992bda952c6780417da0f24819415569e60b205c46e41407f1704"))
    }

    /// Bytes from a hex string.
    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }
}
