import STUNWire
import Testing

struct AttributeRoundTripTests {
    static let transactionID = STUNTransactionID(high: 0xA1B2_C3D4, low: 0x0102_0304_0506_0708)
    static let otherTransactionID = STUNTransactionID(high: 0x1122_3344, low: 0x5566_7788_99AA_BBCC)
    static let ipv4 = STUNTransportAddress(address: .v4(0xC633_6407), port: 3478)
    static let ipv6 = STUNTransportAddress(
        address: .v6(groups: 0x2001, 0xDB8, 0xAB, 0, 0, 0xFF, 0x1234, 0xFFFF),
        port: 65535
    )

    /// At least one value of every typed attribute in STUNWire, with edge values.
    static let samples: [any STUNAttributeValue & Hashable] = [
        MappedAddress(ipv4), MappedAddress(ipv6),
        XORMappedAddress(ipv4), XORMappedAddress(ipv6),
        XORPeerAddress(ipv4), XORPeerAddress(ipv6),
        XORRelayedAddress(ipv4), XORRelayedAddress(ipv6),
        AlternateServer(ipv4), AlternateServer(ipv6),
        ResponseOrigin(ipv4), ResponseOrigin(ipv6),
        OtherAddress(ipv4), OtherAddress(ipv6),
        Username("alice"), Username(""), Username(String(repeating: "u", count: 512)),
        Realm("example.org"), Realm(String(repeating: "r", count: 763)),
        Nonce("f//499k954d6OL34oL9FSTvy64sA"), Nonce("\u{30CE}\u{30F3}\u{30B9}"),
        Software("TurnGate 1.0 \u{1F680}"), Software(String(repeating: "s", count: 763)),
        AlternateDomain("turn.example.org"), AlternateDomain(String(repeating: "d", count: 255)),
        ErrorCodeAttribute(.unauthorized), ErrorCodeAttribute(.tryAlternate, reason: ""),
        ErrorCodeAttribute(STUNErrorCode(rawValue: 699), reason: "Custom \u{E9}"),
        ErrorCodeAttribute(.staleNonce, reason: String(repeating: "x", count: 763)),
        AddressErrorCode(family: .ipv4, code: .insufficientCapacity),
        AddressErrorCode(family: .ipv6, code: .addressFamilyNotSupported, reason: "no v6"),
        UnknownAttributes([]), UnknownAttributes([STUNAttributeType(rawValue: 0x7F01)]),
        UnknownAttributes([.init(rawValue: 0x0002), .init(rawValue: 0x0004), .init(rawValue: 0xFFFF)]),
        ChannelNumber(0x4000), ChannelNumber(0x7FFF), ChannelNumber(0),
        Lifetime(0), Lifetime(600), Lifetime(.max),
        ConnectionID(0xDEAD_BEEF),
        Fingerprint(0xE57A_3BCF),
        DataAttribute([]), DataAttribute([1]), DataAttribute(Array(0...255)), DataAttribute([1, 2, 3, 4, 5, 6, 7]),
        RequestedAddressFamily(.ipv4), RequestedAddressFamily(.ipv6),
        AdditionalAddressFamily(.ipv6), AdditionalAddressFamily(.ipv4),
        EvenPort(reserveNextPort: true), EvenPort(reserveNextPort: false),
        RequestedTransport.udp, RequestedTransport.tcp, RequestedTransport(protocolNumber: 255),
        DontFragment(),
        ReservationToken([1, 2, 3, 4, 5, 6, 7, 8]),
        ChangeRequest(changeIP: true, changePort: false), ChangeRequest(changeIP: false, changePort: true),
        ChangeRequest(changeIP: true, changePort: true), ChangeRequest(changeIP: false, changePort: false),
        ICMPAttribute(type: 3, code: 4, errorData: 1280),
        MessageIntegrity(Array(repeating: 0xAB, count: 20)),
        MessageIntegritySHA256(Array(repeating: 0xCD, count: 32)),
        MessageIntegritySHA256(Array(repeating: 0xEF, count: 16)),
        PasswordAlgorithm.md5, PasswordAlgorithm.sha256, PasswordAlgorithm(number: 0x1234, parameters: [9, 8, 7]),
        PasswordAlgorithms([]), PasswordAlgorithms([.md5, .sha256]),
        PasswordAlgorithms([
            PasswordAlgorithm(number: 3, parameters: [1]), .sha256,
            PasswordAlgorithm(number: 4, parameters: [1, 2, 3, 4]),
        ]),
        UserHash(Array(0..<32)),
    ]

    /// Every attribute type that has a typed attribute in STUNWire.
    static let typedAttributeTypes: Set<STUNAttributeType> = [
        .mappedAddress, .xorMappedAddress, .xorPeerAddress, .xorRelayedAddress, .alternateServer,
        .responseOrigin, .otherAddress, .username, .realm, .nonce, .software, .alternateDomain,
        .errorCode, .addressErrorCode, .unknownAttributes, .channelNumber, .lifetime, .connectionID,
        .fingerprint, .data, .requestedAddressFamily, .additionalAddressFamily, .evenPort,
        .requestedTransport, .dontFragment, .reservationToken, .changeRequest, .icmp,
        .messageIntegrity, .messageIntegritySHA256, .passwordAlgorithm, .passwordAlgorithms, .userHash,
    ]

    @Test func samplesCoverEveryTypedAttribute() {
        let covered = Set(Self.samples.map { type(of: $0).attributeType })
        #expect(covered == Self.typedAttributeTypes)
    }

    @Test(arguments: samples)
    func roundTripsThroughAMessage(_ value: any STUNAttributeValue & Hashable) throws {
        let decoded = try Self.roundTrip(value)
        #expect(decoded == AnyHashable(value))
    }

    @Test(arguments: samples)
    func roundTripsThroughTheRawAttribute(_ value: any STUNAttributeValue & Hashable) throws {
        #expect(try Self.rawRoundTrip(value) == AnyHashable(value))
    }

    /// Encodes `value` into a message, serialises, parses and decodes it again.
    private static func roundTrip<Value: STUNAttributeValue & Hashable>(_ value: Value) throws -> AnyHashable {
        var message = STUNMessage(
            type: .init(method: .allocate, messageClass: .request),
            transactionID: Self.transactionID
        )
        message.append(value)
        let parsed = try STUNMessage(parsing: message.serialize())
        #expect(parsed.attributes.count == 1)
        #expect(try parsed.attributes(Value.self) == [value])
        return AnyHashable(try #require(try parsed.attribute(Value.self)))
    }

    private static func rawRoundTrip<Value: STUNAttributeValue & Hashable>(_ value: Value) throws -> AnyHashable {
        let raw = STUNAttribute(value, transactionID: Self.transactionID)
        #expect(raw.type == Value.attributeType)
        #expect(raw.encodedLength == 4 + (raw.value.count + 3) / 4 * 4)
        return AnyHashable(try raw.decode(as: Value.self, transactionID: Self.transactionID))
    }

    @Test func decodingAsTheWrongTypeIsRejected() {
        let raw = STUNAttribute(Lifetime(600), transactionID: Self.transactionID)
        #expect(throws: STUNParseError.invalidAttributeValue) {
            try raw.decode(as: ConnectionID.self, transactionID: Self.transactionID)
        }
    }

    /// Values and their encodings as the RFCs lay them out.
    static let layouts: [(any STUNAttributeValue, [UInt8])] = [
        (MappedAddress(ipv4), [0, 1, 0x0D, 0x96, 198, 51, 100, 7]),
        (ChannelNumber(0x4001), [0x40, 0x01, 0, 0]),
        (Lifetime(600), [0, 0, 0x02, 0x58]),
        (RequestedTransport.udp, [17, 0, 0, 0]),
        (EvenPort(reserveNextPort: true), [0x80]),
        (RequestedAddressFamily(.ipv6), [2, 0, 0, 0]),
        (ChangeRequest(changeIP: true, changePort: true), [0, 0, 0, 6]),
        (ICMPAttribute(type: 3, code: 4, errorData: 1280), [0, 0, 3, 4, 0, 0, 5, 0]),
        (ErrorCodeAttribute(.staleNonce, reason: "x"), [0, 0, 4, 38, 0x78]),
        (AddressErrorCode(family: .ipv6, code: .insufficientCapacity, reason: ""), [2, 0, 5, 8]),
        (UnknownAttributes([.init(rawValue: 0x7F01), .software]), [0x7F, 0x01, 0x80, 0x22]),
        (PasswordAlgorithm(number: 3, parameters: [9]), [0, 3, 0, 1, 9, 0, 0, 0]),
        (PasswordAlgorithms([.md5, .sha256]), [0, 1, 0, 0, 0, 2, 0, 0]),
        (DontFragment(), []),
    ]

    @Test(arguments: layouts)
    func encodesTheRFCLayout(value: any STUNAttributeValue, expected: [UInt8]) {
        #expect(value.encodeValue(transactionID: Self.transactionID) == expected)
    }

    @Test func errorCodeDefaultsToTheRegisteredReason() {
        #expect(ErrorCodeAttribute(.staleNonce).reason == "Stale Nonce")
        #expect(ErrorCodeAttribute(.allocationQuotaReached).reason == "Allocation Quota Reached")
        #expect(ErrorCodeAttribute(STUNErrorCode(rawValue: 499)).reason == "Error 499")
    }

    @Test func overlongErrorReasonIsCutAtACharacterBoundary() throws {
        let reason = String(repeating: "a", count: 762) + "\u{E9}\u{E9}"
        let value = ErrorCodeAttribute(.badRequest, reason: reason).encodeValue(transactionID: Self.transactionID)
        #expect(value.count == 4 + 762)
        let decoded = try ErrorCodeAttribute(value: value, transactionID: Self.transactionID)
        #expect(decoded.reason == String(repeating: "a", count: 762))
    }

    // MARK: Address attributes

    @Test(arguments: [ipv4, ipv6])
    func xorAddressesDecodeTheSameUnderAnyTransactionID(address: STUNTransportAddress) throws {
        for tid in [Self.transactionID, Self.otherTransactionID] {
            let raw = STUNAttribute(XORPeerAddress(address), transactionID: tid)
            #expect(try raw.decode(as: XORPeerAddress.self, transactionID: tid).address == address)
        }
    }

    @Test func xorIPv6WireBytesDependOnTheTransactionID() throws {
        let first = XORRelayedAddress(Self.ipv6).encodeValue(transactionID: Self.transactionID)
        let second = XORRelayedAddress(Self.ipv6).encodeValue(transactionID: Self.otherTransactionID)
        #expect(first != second)
        #expect(first[0..<4] == second[0..<4], "family and port use the cookie only")
        let misread = try XORRelayedAddress(value: first, transactionID: Self.otherTransactionID)
        #expect(misread.address != Self.ipv6)
    }

    @Test func xorIPv4WireBytesUseTheCookieOnly() {
        let first = XORMappedAddress(Self.ipv4).encodeValue(transactionID: Self.transactionID)
        let second = XORMappedAddress(Self.ipv4).encodeValue(transactionID: Self.otherTransactionID)
        #expect(first == second)
        #expect(first != MappedAddress(Self.ipv4).encodeValue(transactionID: Self.transactionID))
        let expected: [UInt8] = [
            0x00, 0x01, 0x0D ^ 0x21, 0x96 ^ 0x12, 0xC6 ^ 0x21, 0x33 ^ 0x12, 0x64 ^ 0xA4, 0x07 ^ 0x42,
        ]
        #expect(first == expected)
    }

    @Test(arguments: [ipv4, ipv6])
    func xorAndPlainEncodingsDiffer(address: STUNTransportAddress) {
        let plain = OtherAddress(address).encodeValue(transactionID: Self.transactionID)
        let xored = XORMappedAddress(address).encodeValue(transactionID: Self.transactionID)
        #expect(plain.count == xored.count)
        #expect(plain != xored)
        #expect(plain.count == (address.address.family == .ipv4 ? 8 : 20))
    }

    // MARK: Malformed values

    /// One malformed value for one typed attribute.
    struct Malformed: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var decode: @Sendable () throws(STUNParseError) -> Void

        init<Value: STUNAttributeValue>(_: Value.Type, _ value: [UInt8], _ why: String) {
            self.testDescription = "\(Value.self): \(why)"
            self.decode = { () throws(STUNParseError) in
                _ = try Value(value: value, transactionID: AttributeRoundTripTests.transactionID)
            }
        }
    }

    static let malformed: [Malformed] = [
        .init(MappedAddress.self, [], "empty"),
        .init(MappedAddress.self, [0, 1, 0x0D], "shorter than the family and port"),
        .init(MappedAddress.self, [0, 1, 0, 1, 1, 2, 3], "IPv4 with three address bytes"),
        .init(MappedAddress.self, [0, 1, 0, 1] + Array(repeating: 1, count: 16), "IPv4 family with 16 address bytes"),
        .init(MappedAddress.self, [0, 2, 0, 1, 1, 2, 3, 4], "IPv6 family with 4 address bytes"),
        .init(MappedAddress.self, [0, 3, 0, 1, 1, 2, 3, 4], "family 3"),
        .init(MappedAddress.self, [0, 0, 0, 1, 1, 2, 3, 4], "family 0"),
        .init(AlternateServer.self, [0, 1, 0, 1, 1, 2, 3, 4, 5], "IPv4 with a trailing byte"),
        .init(XORMappedAddress.self, [0, 1, 0, 1], "no address"),
        .init(XORMappedAddress.self, [0, 2, 0, 1] + Array(repeating: 1, count: 15), "IPv6 with 15 address bytes"),
        .init(XORPeerAddress.self, [0, 9, 0, 1, 1, 2, 3, 4], "family 9"),
        .init(
            XORRelayedAddress.self,
            [0, 1, 0, 1] + Array(repeating: 1, count: 16),
            "IPv4 family with 16 address bytes"
        ),
        .init(ErrorCodeAttribute.self, [0, 0, 4], "three bytes"),
        .init(ErrorCodeAttribute.self, [0, 0, 2, 0], "class 2"),
        .init(ErrorCodeAttribute.self, [0, 0, 7, 0], "class 7"),
        .init(ErrorCodeAttribute.self, [0, 0, 0, 0], "class 0"),
        .init(ErrorCodeAttribute.self, [0, 0, 4, 100], "number 100"),
        .init(ErrorCodeAttribute.self, [0, 0, 4, 1, 0xFF, 0xFE], "invalid UTF-8 reason"),
        .init(ErrorCodeAttribute.self, [0, 0, 4, 1, 0xC3], "truncated UTF-8 reason"),
        .init(ErrorCodeAttribute.self, [0, 0, 4, 1] + Array(repeating: 0x61, count: 764), "764-byte reason"),
        .init(AddressErrorCode.self, [], "empty"),
        .init(AddressErrorCode.self, [1, 0, 4], "three bytes"),
        .init(AddressErrorCode.self, [3, 0, 4, 1], "family 3"),
        .init(AddressErrorCode.self, [1, 0, 1, 0], "class 1"),
        .init(AddressErrorCode.self, [2, 0, 5, 8, 0xED, 0xA0, 0x80], "surrogate in the reason"),
        .init(Username.self, Array(repeating: 0x75, count: 513), "513 bytes"),
        .init(Username.self, [0x61, 0xFF], "invalid UTF-8"),
        .init(Realm.self, Array(repeating: 0x72, count: 764), "764 bytes"),
        .init(Realm.self, [0xC0, 0x80], "overlong UTF-8 encoding"),
        .init(Nonce.self, Array(repeating: 0x6E, count: 764), "764 bytes"),
        .init(Nonce.self, [0xE3, 0x83], "truncated UTF-8"),
        .init(Software.self, Array(repeating: 0x73, count: 764), "764 bytes"),
        .init(Software.self, [0x80], "lone continuation byte"),
        .init(AlternateDomain.self, Array(repeating: 0x64, count: 256), "256 bytes"),
        .init(AlternateDomain.self, [0xF8, 0x88, 0x80, 0x80, 0x80], "five-byte sequence"),
        .init(ChangeRequest.self, [0, 0, 6], "three bytes"),
        .init(ChangeRequest.self, [0, 0, 0, 6, 0], "five bytes"),
        .init(ChannelNumber.self, [0x40, 0x01], "two bytes"),
        .init(ChannelNumber.self, [0x40, 0x01, 0, 0, 0, 0, 0, 0], "eight bytes"),
        .init(Lifetime.self, [0, 0, 2], "three bytes"),
        .init(Lifetime.self, [], "empty"),
        .init(ConnectionID.self, [0, 0, 0, 0, 1], "five bytes"),
        .init(Fingerprint.self, [0xE5, 0x7A], "two bytes"),
        .init(RequestedAddressFamily.self, [3, 0, 0, 0], "family 3"),
        .init(RequestedAddressFamily.self, [1, 0, 0], "three bytes"),
        .init(AdditionalAddressFamily.self, [0, 0, 0, 0], "family 0"),
        .init(AdditionalAddressFamily.self, [2, 0, 0, 0, 0], "five bytes"),
        .init(EvenPort.self, [], "empty"),
        .init(EvenPort.self, [0x80, 0], "two bytes"),
        .init(RequestedTransport.self, [17], "one byte"),
        .init(RequestedTransport.self, [17, 0, 0, 0, 0], "five bytes"),
        .init(DontFragment.self, [0], "one byte"),
        .init(ReservationToken.self, Array(repeating: 1, count: 7), "seven bytes"),
        .init(ReservationToken.self, Array(repeating: 1, count: 9), "nine bytes"),
        .init(ICMPAttribute.self, Array(repeating: 0, count: 7), "seven bytes"),
        .init(ICMPAttribute.self, Array(repeating: 0, count: 9), "nine bytes"),
        .init(MessageIntegrity.self, Array(repeating: 0, count: 19), "19 bytes"),
        .init(MessageIntegrity.self, Array(repeating: 0, count: 32), "32 bytes"),
        .init(MessageIntegritySHA256.self, Array(repeating: 0, count: 12), "12 bytes"),
        .init(MessageIntegritySHA256.self, Array(repeating: 0, count: 18), "18 bytes"),
        .init(MessageIntegritySHA256.self, Array(repeating: 0, count: 36), "36 bytes"),
        .init(UserHash.self, Array(repeating: 0, count: 31), "31 bytes"),
        .init(UnknownAttributes.self, [0x7F, 0x01, 0x80], "odd length"),
        .init(PasswordAlgorithm.self, [], "empty"),
        .init(PasswordAlgorithm.self, [0, 1, 0], "shorter than its header"),
        .init(PasswordAlgorithm.self, [0, 1, 0, 4, 1, 2], "parameters past the end"),
        .init(PasswordAlgorithm.self, [0, 1, 0, 1, 9], "parameter padding missing"),
        .init(PasswordAlgorithm.self, [0, 1, 0, 0, 0, 2, 0, 0], "a second entry"),
        .init(PasswordAlgorithms.self, [0, 1, 0, 0, 0], "a partial second entry"),
        .init(PasswordAlgorithms.self, [0, 2, 0, 8, 1, 2, 3, 4], "parameters past the end"),
    ]

    @Test(arguments: malformed)
    func rejectsMalformedValue(_ malformed: Malformed) {
        #expect(throws: STUNParseError.invalidAttributeValue) { try malformed.decode() }
    }

    @Test func typedAccessorReportsAMalformedAttribute() throws {
        var message = STUNMessage(
            type: .init(method: .refresh, messageClass: .request),
            transactionID: Self.transactionID
        )
        message.attributes.append(STUNAttribute(type: .lifetime, value: [0, 0, 2]))
        let parsed = try STUNMessage(parsing: message.serialize())
        #expect(throws: STUNParseError.invalidAttributeValue) { try parsed.attribute(Lifetime.self) }
        #expect(throws: STUNParseError.invalidAttributeValue) { try parsed.attributes(Lifetime.self) }
        #expect(try parsed.attribute(Nonce.self) == nil)
    }

    @Test func textAtItsMaximumLengthIsAccepted() throws {
        let username = Array(repeating: UInt8(0x75), count: Username.maximumByteCount)
        #expect(try Username(value: username, transactionID: Self.transactionID).text.utf8.count == 512)
        let domain = Array(repeating: UInt8(0x64), count: AlternateDomain.maximumByteCount)
        #expect(try AlternateDomain(value: domain, transactionID: Self.transactionID).text.utf8.count == 255)
    }

    @Test func reservedBitsAreIgnoredOnDecode() throws {
        let family = try RequestedAddressFamily(value: [2, 0xFF, 0xFF, 0xFF], transactionID: Self.transactionID)
        #expect(family.family == .ipv6)
        let transport = try RequestedTransport(value: [6, 1, 2, 3], transactionID: Self.transactionID)
        #expect(transport == .tcp)
        let evenPort = try EvenPort(value: [0x7F], transactionID: Self.transactionID)
        #expect(!evenPort.reserveNextPort)
    }

    // MARK: Unknown attributes

    @Test func unknownAttributesSurviveParseAndSerialise() throws {
        var bytes: [UInt8] = [0x00, 0x01, 0x00, 0x2C, 0x21, 0x12, 0xA4, 0x42] + Self.transactionID.bytes
        bytes += [0x7F, 0x01, 0x00, 0x05, 0x01, 0x02, 0x03, 0x04, 0x05, 0xAA, 0xBB, 0xCC]
        bytes += [0xC0, 0x01, 0x00, 0x01, 0x09, 0x01, 0x02, 0x03]
        bytes += [0xC0, 0x02, 0x00, 0x00]
        bytes += [0x7F, 0x02, 0x00, 0x06, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x00, 0x00]
        bytes += [0x7F, 0x01, 0x00, 0x03, 0xFF, 0xFF, 0xFF, 0x00]
        #expect(bytes.count == 20 + 0x2C)

        let message = try STUNMessage(parsing: bytes)
        #expect(message.serialize() == bytes)
        #expect(message.attributes.map(\.type.rawValue) == [0x7F01, 0xC001, 0xC002, 0x7F02, 0x7F01])
        #expect(message.attributes[0].value == [1, 2, 3, 4, 5])
        #expect(message.attributes[0].padding == [0xAA, 0xBB, 0xCC])
        #expect(message.attributes[1].padding == [1, 2, 3])
        #expect(message.attributes[2].value.isEmpty)
        #expect(message.attributes[3].padding.isEmpty, "zero padding is not stored")
        #expect(message.attributes[4].padding.isEmpty)
        #expect(message.attributes[0].type.isComprehensionRequired)
        #expect(!message.attributes[1].type.isComprehensionRequired)
    }

    @Test func paddingOfTheWrongSizeIsReplacedWithZeros() {
        var buffer: [UInt8] = []
        STUNAttribute(type: .software, value: [0x61], padding: [1, 2]).serialize(into: &buffer)
        #expect(buffer == [0x80, 0x22, 0x00, 0x01, 0x61, 0, 0, 0])
    }

    @Test func attributePaddingIsRelativeToTheAttributeNotTheBuffer() {
        var buffer: [UInt8] = [0xEE]
        STUNAttribute(type: .data, value: [1, 2, 3, 4, 5]).serialize(into: &buffer)
        #expect(buffer == [0xEE, 0x00, 0x13, 0x00, 0x05, 1, 2, 3, 4, 5, 0, 0, 0])
    }

    @Test func messageSerialisesIntoANonEmptyBuffer() throws {
        var message = STUNMessage(
            type: .init(method: .send, messageClass: .indication),
            transactionID: Self.transactionID
        )
        message.append(DataAttribute([1, 2, 3]))
        message.append(Software("odd"))
        var buffer: [UInt8] = [0xAA, 0xBB, 0xCC]
        message.serialize(into: &buffer)
        #expect(Array(buffer.dropFirst(3)) == message.serialize())
        #expect(try STUNMessage(parsing: Array(buffer.dropFirst(3))).attributes == message.attributes)
    }
}
