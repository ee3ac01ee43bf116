import STUNWire
import TURNCore
import Testing

/// What the processor does with messages that are not TURN requests: Binding requests are
/// answered without authentication (RFC 8489 Section 6.3), garbage and responses are dropped,
/// malformed requests get an unsigned 400.
struct TURNRequestProcessorBindingTests {
    @Test func answersBindingWithoutAuthentication() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        let actions = relay.handle(alice.unauthenticated(.binding), from: alice)
        #expect(actions.first?.summary == ResponseSummary(method: .binding, errorCode: nil))
        let response = try TURNRelayHarness.onlyResponse(actions)
        #expect(response.type == STUNMessageType(method: .binding, messageClass: .successResponse))
        #expect(try response.attribute(XORMappedAddress.self)?.address == alice.address)
        #expect(response.messageIntegrityOffset == nil)
        #expect(response.hasValidFingerprint)
    }

    @Test func answersBindingOnAnAllocatedFiveTuple() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        let response = try relay.response(to: alice.unauthenticated(.binding), from: alice)
        #expect(response.type == STUNMessageType(method: .binding, messageClass: .successResponse))
        #expect(try response.attribute(XORMappedAddress.self)?.address == alice.address)
        #expect(relay.processor.allocationCount == 1)
    }

    @Test(
        arguments: [
            [],
            [0xDE, 0xAD, 0xBE, 0xEF],
            Array(repeating: 0xFF, count: 20),
            Array("GET / HTTP/1.1\r\nHost: turn\r\n\r\n".utf8),
        ] as [[UInt8]]
    )
    func ignoresGarbage(bytes: [UInt8]) throws {
        var relay = try TURNRelayHarness()
        let alice = TURNClientScript.alice()
        #expect(relay.handle(bytes, from: alice) == [.ignore(.notSTUN)])
    }

    /// An Allocate request whose only attribute claims more bytes than the message has.
    static let truncatedAllocate: [UInt8] =
        [0x00, 0x03, 0x00, 0x08, 0x21, 0x12, 0xA4, 0x42]
        + [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
        + [0x00, 0x19, 0x00, 0x14, 0x11, 0x00, 0x00, 0x00]

    @Test func malformedRequestGetsAnUnsigned400() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        let actions = relay.handle(Self.truncatedAllocate, from: alice)
        #expect(actions.first?.summary == ResponseSummary(method: .allocate, errorCode: .badRequest))
        let response = try TURNRelayHarness.onlyResponse(actions)
        try expectError(response, .badRequest, signedWith: nil)
        #expect(response.type.method == .allocate)
        #expect(response.transactionID == STUNTransactionID(high: 0x0102_0304, low: 0x0506_0708_090A_0B0C))
        #expect(relay.processor.allocationCount == 1)
    }

    @Test func malformedIndicationIsIgnored() throws {
        var relay = try TURNRelayHarness()
        let alice = TURNClientScript.alice()
        var indication = Self.truncatedAllocate
        indication[1] = 0x16  // Send indication
        #expect(relay.handle(indication, from: alice) == [.ignore(.malformedIndication)])
        indication[1] = 0x11  // Binding indication
        #expect(relay.handle(indication, from: alice) == [.ignore(.notARequest)])
    }

    @Test func responsesAreIgnored() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        let response = STUNMessage(
            type: STUNMessageType(method: .allocate, messageClass: .successResponse),
            transactionID: alice.nextTransactionID()
        )
        #expect(relay.handle(response.serialize(), from: alice) == [.ignore(.notARequest)])
        let error = STUNMessage(
            type: STUNMessageType(method: .binding, messageClass: .errorResponse),
            transactionID: alice.nextTransactionID(),
            attributes: [STUNAttribute(ErrorCodeAttribute(.badRequest), transactionID: alice.nextTransactionID())]
        )
        #expect(relay.handle(error.serialize(), from: alice) == [.ignore(.notARequest)])
    }

    @Test func badFingerprintIsIgnored() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        var bytes = alice.unauthenticated(.allocate, [RequestedTransport.udp])
        bytes[bytes.count - 1] ^= 0xFF
        #expect(relay.handle(bytes, from: alice) == [.ignore(.badFingerprint)])
    }

    @Test func unsupportedMethodGetsAnUnsigned400() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        try relay.challenge(&alice)
        let response = try relay.response(
            to: alice.signed(STUNMethod(rawValue: 0x0FF), [XORPeerAddress(try .peer("8.8.8.8"))]),
            from: alice
        )
        try expectError(response, .badRequest, signedWith: nil)
        #expect(response.type.method == STUNMethod(rawValue: 0x0FF))
    }
}

/// coturn's `no-stun` and `stun-only`: a node that answers only TURN, or only STUN.
struct TURNRequestProcessorServiceModeTests {
    @Test func noStunDropsBindingRequestsAndStillRelays() throws {
        var relay = try TURNRelayHarness { $0.answersBinding = false }
        var alice = TURNClientScript.alice()
        #expect(relay.handle(alice.unauthenticated(.binding), from: alice) == [.ignore(.stunDisabled)])
        _ = try relay.allocate(&alice)
        #expect(relay.processor.allocationCount == 1)
    }

    @Test func stunOnlyDropsTURNRequestsAndStillAnswersBinding() throws {
        var relay = try TURNRelayHarness { $0.relaysTURN = false }
        var alice = TURNClientScript.alice()
        #expect(relay.handle(alice.unauthenticated(.allocate), from: alice) == [.ignore(.turnDisabled)])
        let response = try relay.response(to: alice.unauthenticated(.binding), from: alice)
        #expect(response.type == STUNMessageType(method: .binding, messageClass: .successResponse))
        #expect(relay.processor.allocationCount == 0)
    }
}

/// coturn's `secure-stun`: a Binding request is authenticated like a TURN request.
struct TURNRequestProcessorSecureStunTests {
    @Test func challengesAStrangerAndSignsTheUsersAnswer() throws {
        var relay = try TURNRelayHarness { $0.authenticatesBinding = true }
        var alice = TURNClientScript.alice()
        let challenge = try relay.response(to: alice.unauthenticated(.binding), from: alice)
        #expect(try challenge.attribute(ErrorCodeAttribute.self)?.code == .unauthorized)
        let response = try relay.request(&alice, .binding)
        try expectSuccess(response, signedWith: alice.key)
        #expect(try response.attribute(XORMappedAddress.self)?.address == alice.address)
        #expect(relay.processor.allocationCount == 0)
    }
}
