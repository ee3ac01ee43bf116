import STUNWire
import Testing
import TURNCore

struct BindingResponderTests {
    static let client = STUNTransportAddress(address: .v4(0xC000_0201), port: 40_000)
    static let clientV6 = STUNTransportAddress(address: .v6(high: 0x2001_0DB8_0000_0000, low: 1), port: 50_000)
    static let transactionID = STUNTransactionID(high: 0x0102_0304, low: 0x0506_0708_090A_0B0C)

    static func request(
        _ method: STUNMethod = .binding,
        _ messageClass: STUNMessageClass = .request,
        attributes: [STUNAttribute] = [],
        fingerprint: Bool = false
    ) -> [UInt8] {
        STUNMessage(
            type: .init(method: method, messageClass: messageClass),
            transactionID: Self.transactionID,
            attributes: attributes
        ).serialize(integrity: nil, fingerprint: fingerprint)
    }

    static func respond(
        _ bytes: [UInt8],
        from source: STUNTransportAddress = client,
        configuration: BindingResponder.Configuration = .init()
    ) throws -> (STUNMessage, BindingResponder.Response) {
        let outcome = BindingResponder(configuration: configuration).handle(bytes.span, from: source)
        guard case .respond(let response, let kind) = outcome else {
            Issue.record("expected a response, got \(outcome)")
            throw STUNParseError.truncated
        }
        return (try STUNMessage(parsing: response), kind)
    }

    @Test(arguments: [client, clientV6])
    func answersWithTheSourceAsXORMappedAddress(source: STUNTransportAddress) throws {
        let (response, kind) = try Self.respond(Self.request(), from: source)
        #expect(kind == .bindingSuccess)
        #expect(response.type == STUNMessageType(method: .binding, messageClass: .successResponse))
        #expect(response.transactionID == Self.transactionID)
        #expect(try response.attribute(XORMappedAddress.self)?.address == source)
    }

    @Test func addsSoftwareOnlyWhenConfigured() throws {
        let (plain, _) = try Self.respond(Self.request())
        #expect(plain.attribute(.software) == nil)
        let (named, _) = try Self.respond(Self.request(), configuration: .init(softwareName: "TurnGate test"))
        #expect(try named.attribute(Software.self)?.text == "TurnGate test")
    }

    @Test func fingerprintsWhenTheRequestDidOrWhenAlwaysOn() throws {
        let (without, _) = try Self.respond(Self.request())
        #expect(without.fingerprintOffset == nil)
        let (echoed, _) = try Self.respond(Self.request(fingerprint: true))
        #expect(echoed.hasValidFingerprint)
        let (always, _) = try Self.respond(Self.request(), configuration: .init(alwaysFingerprint: true))
        #expect(always.hasValidFingerprint)
    }

    @Test func answersAMalformedRequestWith400() throws {
        var bytes = Self.request(attributes: [STUNAttribute(type: .username, value: Array("alice".utf8))])
        bytes[22] = 0x00
        bytes[23] = 0x40
        let (response, kind) = try Self.respond(bytes)
        #expect(kind == .error(.badRequest, method: .binding))
        #expect(response.type.messageClass == .errorResponse)
        #expect(response.transactionID == Self.transactionID)
        #expect(try response.attribute(ErrorCodeAttribute.self)?.code == .badRequest)
    }

    @Test func answersUnknownComprehensionRequiredAttributesWith420() throws {
        let unknown = STUNAttribute(type: STUNAttributeType(rawValue: 0x7F01), value: [1, 2, 3, 4])
        let change = STUNAttribute(ChangeRequest(changeIP: true, changePort: false), transactionID: Self.transactionID)
        let (response, kind) = try Self.respond(Self.request(attributes: [unknown, change]))
        #expect(kind == .error(.unknownAttribute, method: .binding))
        #expect(try response.attribute(UnknownAttributes.self)?.types == [unknown.type, .changeRequest])
    }

    @Test func toleratesUnknownOptionalAttributes() throws {
        let optional = STUNAttribute(type: STUNAttributeType(rawValue: 0xC001), value: [9])
        let (_, kind) = try Self.respond(Self.request(attributes: [optional]))
        #expect(kind == .bindingSuccess)
    }

    @Test func refusesOtherMethodsWith400() throws {
        let (response, kind) = try Self.respond(Self.request(.allocate))
        #expect(kind == .error(.badRequest, method: .allocate))
        #expect(response.type == STUNMessageType(method: .allocate, messageClass: .errorResponse))
    }

    static let silentCases: [(String, [UInt8], BindingResponder.IgnoreReason)] = {
        var wrongCookie = request()
        wrongCookie[4] ^= 0xFF
        var badFingerprint = request(fingerprint: true)
        badFingerprint[badFingerprint.count - 1] ^= 0x01
        var malformedIndication = request(.binding, .indication, attributes: [STUNAttribute(type: .software, value: [65])])
        malformedIndication[23] = 0x40
        return [
            ("empty", [], .notSTUN),
            ("short", [0, 1, 0, 0], .notSTUN),
            ("wrong magic cookie", wrongCookie, .notSTUN),
            ("top bits set", [0xC0] + request().dropFirst(), .notSTUN),
            ("success response", request(.binding, .successResponse), .notARequest),
            ("error response", request(.binding, .errorResponse), .notARequest),
            ("malformed indication", malformedIndication, .notARequest),
            ("binding indication", request(.binding, .indication), .indication),
            ("bad fingerprint", badFingerprint, .badFingerprint),
        ]
    }()

    @Test(arguments: silentCases)
    func staysSilentForWhatIsNotARequest(name: String, bytes: [UInt8], reason: BindingResponder.IgnoreReason) {
        let outcome = BindingResponder(configuration: .init(softwareName: "x")).handle(bytes.span, from: Self.client)
        #expect(outcome == .ignore(reason), "\(name)")
    }
}
