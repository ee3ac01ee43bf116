import STUNWire
import Testing
import TURNTestSupport

struct MessageParsingTests {
    static let transactionID = STUNTransactionID(high: 0x0A0B_0C0D, low: 0x0E0F_1011_1213_1415)
    static let methods: [STUNMethod] = [
        .binding, .allocate, .refresh, .send, .data, .createPermission, .channelBind, .connect,
        .connectionBind, .connectionAttempt,
    ]

    /// A header for a body of `length` bytes, followed by `body`.
    static func message(type: UInt16 = 0x0001, length: Int? = nil, body: [UInt8] = []) -> [UInt8] {
        let declared = UInt16(length ?? body.count)
        return [
            UInt8(type >> 8), UInt8(type & 0xFF), UInt8(declared >> 8), UInt8(declared & 0xFF), 0x21, 0x12, 0xA4, 0x42,
        ]
            + Self.transactionID.bytes + body
    }

    // MARK: Message type

    @Test(arguments: methods, STUNMessageClass.allCases)
    func encodesMethodAndClass(method: STUNMethod, messageClass: STUNMessageClass) {
        let classBits: UInt16 =
            switch messageClass {
            case .request: 0x0000
            case .indication: 0x0010
            case .successResponse: 0x0100
            case .errorResponse: 0x0110
            }
        let type = STUNMessageType(method: method, messageClass: messageClass)
        #expect(type.rawValue == method.rawValue | classBits)
        #expect(STUNMessageType(rawValue: type.rawValue) == type)
    }

    @Test func registeredMethodNumbers() {
        #expect(Self.methods.map(\.rawValue) == [0x001, 0x003, 0x004, 0x006, 0x007, 0x008, 0x009, 0x00A, 0x00B, 0x00C])
        #expect(STUNMessageType(method: .data, messageClass: .indication).rawValue == 0x0017)
        #expect(STUNMessageType(method: .allocate, messageClass: .errorResponse).rawValue == 0x0113)
    }

    @Test func spreadsTheHighMethodBitsAroundTheClassBits() {
        #expect(STUNMessageType(method: STUNMethod(rawValue: 0xFFF), messageClass: .request).rawValue == 0x3EEF)
        #expect(STUNMessageType(method: STUNMethod(rawValue: 0xFFF), messageClass: .errorResponse).rawValue == 0x3FFF)
        #expect(STUNMessageType(method: STUNMethod(rawValue: 0x010), messageClass: .request).rawValue == 0x0020)
        #expect(STUNMessageType(method: STUNMethod(rawValue: 0x080), messageClass: .request).rawValue == 0x0200)
        #expect(STUNMethod(rawValue: 0xF001) == .binding, "bits above the low 12 are dropped")
    }

    @Test func everyFourteenBitTypeRoundTrips() {
        var mismatches: [UInt16] = []
        for raw in UInt16(0)..<0x4000 where STUNMessageType(rawValue: raw).rawValue != raw {
            mismatches.append(raw)
        }
        #expect(mismatches.isEmpty)
    }

    @Test func typeIgnoresTheTopTwoBits() {
        #expect(STUNMessageType(rawValue: 0xC101) == STUNMessageType(method: .binding, messageClass: .successResponse))
    }

    @Test func responseTypesKeepTheMethod() {
        let request = STUNMessageType(method: .refresh, messageClass: .request)
        #expect(request.successResponse == STUNMessageType(method: .refresh, messageClass: .successResponse))
        #expect(request.errorResponse == STUNMessageType(method: .refresh, messageClass: .errorResponse))
        #expect(request.description == "Refresh request")
    }

    @Test func headerCarriesTypeAndTransactionID() throws {
        let message = try STUNMessage(parsing: Self.message(type: 0x0113))
        #expect(message.type == STUNMessageType(method: .allocate, messageClass: .errorResponse))
        #expect(message.transactionID == Self.transactionID)
        #expect(message.attributes.isEmpty)
        let bytes = Self.message(type: 0x0113)
        let header = try STUNHeader(parsing: bytes.span)
        #expect(header.length == 0)
        var serialised: [UInt8] = []
        header.serialize(into: &serialised)
        #expect(serialised == bytes)
    }

    @Test func transactionIDBytes() throws {
        let bytes: [UInt8] = [0xB7, 0xE7, 0xA7, 0x01, 0xBC, 0x34, 0xD6, 0x86, 0xFA, 0x87, 0xDF, 0xAE]
        let tid = try #require(STUNTransactionID(bytes: bytes))
        #expect(tid == RFC5769.transactionID)
        #expect(tid.bytes == bytes)
        #expect(tid.description == "b7e7a701bc34d686fa87dfae")
        #expect(STUNTransactionID(bytes: bytes.dropLast()) == nil)
        #expect(STUNTransactionID(bytes: bytes + [0]) == nil)
        var generator = SplitMix64(seed: 1)
        #expect(STUNTransactionID.random(using: &generator) != STUNTransactionID.random(using: &generator))
    }

    // MARK: Header rejections

    @Test(arguments: [UInt8(0x80), 0x40, 0xC0])
    func rejectsTopBitsSet(bits: UInt8) {
        var bytes = Self.message()
        bytes[0] |= bits
        #expect(throws: STUNParseError.notSTUN) { try STUNMessage(parsing: bytes) }
    }

    @Test(arguments: 4..<8)
    func rejectsABadMagicCookie(index: Int) {
        var bytes = Self.message()
        bytes[index] ^= 0x01
        #expect(throws: STUNParseError.notSTUN) { try STUNMessage(parsing: bytes) }
    }

    @Test func rfc3489MessagesWithoutTheCookieAreNotSTUN() {
        var bytes = Self.message()
        bytes.replaceSubrange(4..<8, with: [0, 0, 0, 0])
        #expect(throws: STUNParseError.notSTUN) { try STUNMessage(parsing: bytes) }
    }

    @Test(arguments: [1, 2, 3, 5, 6, 7])
    func rejectsALengthThatIsNotAMultipleOfFour(length: Int) {
        let bytes = Self.message(body: Array(repeating: 0, count: length))
        #expect(throws: STUNParseError.badLength) { try STUNMessage(parsing: bytes) }
    }

    @Test func rejectsADeclaredLengthLongerThanTheBytes() {
        let bytes = Self.message(length: 12, body: [0x80, 0x22, 0x00, 0x04, 0x61, 0x62, 0x63, 0x64])
        #expect(throws: STUNParseError.lengthMismatch) { try STUNMessage(parsing: bytes) }
    }

    @Test func rejectsBytesPastTheDeclaredLength() {
        let bytes = Self.message(length: 4, body: [0x80, 0x22, 0x00, 0x00, 0x80, 0x22, 0x00, 0x00])
        #expect(throws: STUNParseError.lengthMismatch) { try STUNMessage(parsing: bytes) }
    }

    @Test func rejectsAnAttributeRunningPastTheEnd() {
        let bytes = Self.message(body: [0x80, 0x22, 0x00, 0x08, 0x61, 0x62, 0x63, 0x64])
        #expect(throws: STUNParseError.attributeTruncated) { try STUNMessage(parsing: bytes) }
    }

    @Test func rejectsAnAttributeWhosePaddingIsMissing() {
        let bytes = Self.message(body: [0x80, 0x22, 0x00, 0x05, 0x61, 0x62, 0x63, 0x64])
        #expect(throws: STUNParseError.attributeTruncated) { try STUNMessage(parsing: bytes) }
    }

    @Test func reportsWhereTheTruncatedAttributeStarts() throws {
        let bytes = Self.message(body: [0x80, 0x22, 0x00, 0x00, 0x00, 0x06, 0xFF, 0xFF])
        let error = try #require(throws: STUNParseError.self) { try STUNMessage(parsing: bytes) }
        #expect(error.code == .attributeTruncated)
        #expect(error.offset == 24)
    }

    /// `count` empty SOFTWARE attributes.
    static func emptySoftwareAttributes(count: Int) -> [UInt8] {
        (0..<count).flatMap { _ in [UInt8]([0x80, 0x22, 0x00, 0x00]) }
    }

    @Test func acceptsSixtyFourAttributes() throws {
        let body = Self.emptySoftwareAttributes(count: STUNMessage.maximumAttributeCount)
        #expect(try STUNMessage(parsing: Self.message(body: body)).attributes.count == 64)
    }

    @Test func rejectsSixtyFiveAttributes() {
        let body = Self.emptySoftwareAttributes(count: 65)
        #expect(throws: STUNParseError.tooManyAttributes) { try STUNMessage(parsing: Self.message(body: body)) }
    }

    @Test func rejectsAnAttributeAfterFingerprint() {
        let body: [UInt8] = [0x80, 0x28, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04, 0x80, 0x22, 0x00, 0x00]
        #expect(throws: STUNParseError.fingerprintNotLast) { try STUNMessage(parsing: Self.message(body: body)) }
    }

    @Test func rejectsASecondFingerprint() {
        let fingerprint: [UInt8] = [0x80, 0x28, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04]
        #expect(throws: STUNParseError.fingerprintNotLast) {
            try STUNMessage(parsing: Self.message(body: fingerprint + fingerprint))
        }
    }

    @Test func headerParsingNeedsTwentyBytes() {
        let bytes = Array(Self.message().prefix(19))
        #expect(throws: STUNParseError.truncated) { try STUNHeader(parsing: bytes.span) }
    }

    // MARK: After MESSAGE-INTEGRITY

    /// A request with USERNAME and the integrity attribute of `algorithm` under `key`.
    static func signedRequest(key: [UInt8], algorithm: STUNIntegrityAlgorithm) -> [UInt8] {
        var message = STUNMessage(
            type: .init(method: .binding, messageClass: .request),
            transactionID: Self.transactionID
        )
        message.append(Username("alice"))
        return message.serialize(integrity: (key, algorithm), fingerprint: false)
    }

    /// `bytes` with `attribute` appended and the header length updated.
    static func appending(_ attribute: STUNAttribute, to bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        attribute.serialize(into: &out)
        let length = out.count - STUNHeader.size
        out[2] = UInt8(length >> 8)
        out[3] = UInt8(length & 0xFF)
        return out
    }

    @Test(arguments: [STUNIntegrityAlgorithm.sha1, .sha256])
    func attributesAfterIntegrityAreIgnored(algorithm: STUNIntegrityAlgorithm) throws {
        let key = Array("pass".utf8)
        var bytes = Self.signedRequest(key: key, algorithm: algorithm)
        bytes = Self.appending(STUNAttribute(type: .software, value: Array("late".utf8)), to: bytes)
        bytes = Self.appending(STUNAttribute(type: .init(rawValue: 0x7F01), value: [1]), to: bytes)

        let message = try STUNMessage(parsing: bytes)
        #expect(message.attributes.map(\.type) == [.username, algorithm.attributeType])
        #expect(message.attribute(.software) == nil)
        #expect(message.unknownComprehensionRequired(known: [.username, algorithm.attributeType]).isEmpty)
        switch algorithm {
        case .sha1: #expect(message.hasValidMessageIntegrity(key: key))
        case .sha256: #expect(message.hasValidMessageIntegritySHA256(key: key))
        }
    }

    @Test func fingerprintAfterIntegrityIsKept() throws {
        var message = STUNMessage(
            type: .init(method: .binding, messageClass: .request),
            transactionID: Self.transactionID
        )
        message.append(Username("alice"))
        let key = Array("pass".utf8)
        let parsed = try STUNMessage(parsing: message.serialize(integrity: (key, .sha1), fingerprint: true))
        #expect(parsed.attributes.map(\.type) == [.username, .messageIntegrity, .fingerprint])
        #expect(parsed.hasValidMessageIntegrity(key: key))
        #expect(parsed.hasValidFingerprint)
    }

    @Test func messageIntegrityAfterTheSHA256OneIsIgnored() throws {
        let key = Array("pass".utf8)
        let signed = Self.signedRequest(key: key, algorithm: .sha256)
        let bytes = Self.appending(
            STUNAttribute(type: .messageIntegrity, value: Array(repeating: 0, count: 20)),
            to: signed
        )
        let message = try STUNMessage(parsing: bytes)
        #expect(message.messageIntegrityOffset == nil)
        #expect(message.attributes.map(\.type) == [.username, .messageIntegritySHA256])
        #expect(message.integrityAlgorithm == .sha256)
        #expect(message.hasValidMessageIntegritySHA256(key: key))
        #expect(!message.hasValidMessageIntegrity(key: key))
    }

    @Test func bothIntegrityAttributesAndFingerprintAreKept() throws {
        let message = try STUNMessage(parsing: IntegrityTests.dualIntegrityMessage)
        #expect(
            message.attributes.map(\.type) == [.username, .messageIntegrity, .messageIntegritySHA256, .fingerprint]
        )
        #expect(message.messageIntegrityOffset == 32)
        #expect(message.messageIntegritySHA256Offset == 56)
        #expect(message.fingerprintOffset == 92)
        #expect(message.integrityAlgorithm == .sha256)
    }

    @Test func builtMessagesHaveNoBytesOrOffsets() {
        var message = STUNMessage(
            type: .init(method: .binding, messageClass: .request),
            transactionID: Self.transactionID
        )
        message.append(MessageIntegrity(Array(repeating: 0, count: 20)))
        message.append(Fingerprint(0))
        #expect(message.bytes.isEmpty)
        #expect(message.integrityAlgorithm == nil)
        #expect(!message.hasValidMessageIntegrity(key: []))
        #expect(!message.hasValidFingerprint)
    }

    // MARK: Comprehension-required attributes

    @Test func listsUnknownComprehensionRequiredAttributesOnce() throws {
        var message = STUNMessage(
            type: .init(method: .allocate, messageClass: .request),
            transactionID: Self.transactionID
        )
        message.append(RequestedTransport.udp)
        message.attributes.append(STUNAttribute(type: .init(rawValue: 0x7F01), value: [1]))
        message.attributes.append(STUNAttribute(type: .init(rawValue: 0xC001), value: [2]))
        message.attributes.append(STUNAttribute(type: .init(rawValue: 0x0030), value: []))
        message.attributes.append(STUNAttribute(type: .init(rawValue: 0x7F01), value: [3]))
        message.append(Software("x"))
        let parsed = try STUNMessage(parsing: message.serialize())

        let known: Set<STUNAttributeType> = [.requestedTransport, .software]
        let unknown: [STUNAttributeType] = [.init(rawValue: 0x7F01), .init(rawValue: 0x0030)]
        #expect(parsed.unknownComprehensionRequired(known: known) == unknown)
        #expect(parsed.unknownComprehensionRequired(known: known.union(unknown)).isEmpty)
        #expect(parsed.unknownComprehensionRequired(known: []) == [.requestedTransport] + unknown)
    }

    @Test func comprehensionRangeEndsAt0x8000() {
        #expect(STUNAttributeType(rawValue: 0x7FFF).isComprehensionRequired)
        #expect(!STUNAttributeType(rawValue: 0x8000).isComprehensionRequired)
        #expect(STUNAttributeType.xorMappedAddress.description == "0x20")
    }

    // MARK: Errors

    @Test func errorsCompareByCodeOnly() {
        #expect(STUNParseError(.attributeTruncated, offset: 24) == STUNParseError(.attributeTruncated, offset: 40))
        #expect(STUNParseError(.attributeTruncated, offset: 24) != STUNParseError(.badLength, offset: 24))
        #expect(Set([STUNParseError(.notSTUN, offset: 0), STUNParseError(.notSTUN, offset: 4)]).count == 1)
        #expect(STUNParseError(.badLength, offset: 2).description == "STUNParseError.badLength at offset 2")
    }
}
