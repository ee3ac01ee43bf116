import STUNWire
import TURNCore
import Testing

/// Allocate, RFC 8656 Section 7: the challenge, the relay socket, the success response,
/// lifetime negotiation, retransmissions and every rejection with its exact code.
struct TURNRequestProcessorAllocateTests {
    @Test func challengesThenAllocatesOnTheRelayAddress() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()

        let challenge = try relay.response(to: alice.unauthenticated(.allocate, [RequestedTransport.udp]), from: alice)
        try expectError(challenge, .unauthorized, signedWith: nil)
        #expect(try challenge.attribute(Realm.self)?.text == TURNRelayHarness.realm)
        #expect(try challenge.attribute(Nonce.self) != nil)
        #expect(relay.quotas.total == 0)
        let learnt = alice.learn(from: challenge)
        #expect(learnt, "no REALM and NONCE in the challenge")

        let actions = relay.handle(alice.signed(.allocate, [RequestedTransport.udp]), from: alice)
        #expect(actions.count == 1)
        let request = try #require(actions.first?.relayRequest)
        #expect(request.fiveTuple == alice.fiveTuple)
        #expect(request.address == TURNRelayHarness.relayIPv4)
        #expect(!request.evenPort)
        #expect(!request.reserveNextPort)
        #expect(request.reservationToken == nil)
        #expect(relay.processor.allocationCount == 0)

        let completed = relay.processor.completeAllocation(
            request,
            relayPort: 50_000,
            reservationToken: nil,
            now: relay.now
        )
        #expect(completed.first?.summary == ResponseSummary(method: .allocate, errorCode: nil))
        let response = try TURNRelayHarness.onlyResponse(completed)
        try expectSuccess(response, signedWith: alice.key)
        #expect(response.type == STUNMessageType(method: .allocate, messageClass: .successResponse))
        #expect(
            try response.attribute(XORRelayedAddress.self)?.address
                == STUNTransportAddress(address: TURNRelayHarness.relayIPv4, port: 50_000)
        )
        #expect(try response.attribute(Lifetime.self)?.rawValue == 600)
        #expect(try response.attribute(XORMappedAddress.self)?.address == alice.address)
        #expect(try response.attribute(AddressErrorCode.self) == nil)

        let allocation = try #require(relay.processor.allocation(for: alice.fiveTuple))
        #expect(allocation.username == "alice")
        #expect(allocation.quotaUser == "alice")
        #expect(allocation.expiresAt == relay.now + .seconds(600))
        #expect(relay.quotas.count(user: "alice") == 1)
    }

    @Test func advertisesTheExternalAddressOfTheRelay() throws {
        let external = IPAddress.v4(0xCB00_7105)  // 203.0.113.5
        var relay = try TURNRelayHarness { $0.externalAddresses = [TURNRelayHarness.relayIPv4: external] }
        var alice = TURNClientScript.alice()
        let response = try relay.allocate(&alice, relayPort: 50_002)
        try expectSuccess(response, signedWith: alice.key)
        #expect(
            try response.attribute(XORRelayedAddress.self)?.address
                == STUNTransportAddress(address: external, port: 50_002)
        )
        let allocation = try #require(relay.processor.allocation(for: alice.fiveTuple))
        #expect(allocation.relayedAddress == STUNTransportAddress(address: TURNRelayHarness.relayIPv4, port: 50_002))
    }

    @Test func namesItselfInSoftwareWhenConfigured() throws {
        var relay = try TURNRelayHarness { $0.softwareName = "TurnGate test" }
        var alice = TURNClientScript.alice()
        let response = try relay.allocate(&alice)
        try expectSuccess(response, signedWith: alice.key)
        #expect(try response.attribute(Software.self)?.text == "TurnGate test")
    }

    @Test(arguments: [
        (UInt32?.none, UInt32(600)),
        (0, 600),
        (30, 600),
        (600, 600),
        (1200, 1200),
        (3600, 3600),
        (99_999, 3600),
    ])
    func negotiatesTheLifetime(requested: UInt32?, granted: UInt32) throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        var attributes: [any STUNAttributeValue] = [RequestedTransport.udp]
        if let requested { attributes.append(Lifetime(requested)) }
        let response = try relay.allocate(&alice, attributes)
        try expectSuccess(response, signedWith: alice.key)
        #expect(try response.attribute(Lifetime.self)?.rawValue == granted)
        let allocation = try #require(relay.processor.allocation(for: alice.fiveTuple))
        #expect(allocation.expiresAt == relay.now + .seconds(granted))
    }

    @Test func asksForAnEvenPortAndReturnsTheReservationToken() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        let request = try relay.openRelay(&alice, [RequestedTransport.udp, EvenPort(reserveNextPort: true)])
        #expect(request.evenPort)
        #expect(request.reserveNextPort)
        let token: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        let response = try relay.complete(request, relayPort: 50_010, reservationToken: token)
        try expectSuccess(response, signedWith: alice.key)
        #expect(try response.attribute(ReservationToken.self)?.bytes == token)
        #expect(try response.attribute(XORRelayedAddress.self)?.address.port == 50_010)
    }

    @Test func passesAReservationTokenToTheTransport() throws {
        var relay = try TURNRelayHarness()
        var bob = TURNClientScript.bob()
        let token: [UInt8] = [8, 7, 6, 5, 4, 3, 2, 1]
        let reserving = try relay.openRelay(&bob, [RequestedTransport.udp, EvenPort(reserveNextPort: true)])
        _ = try relay.complete(reserving, relayPort: 50_010, reservationToken: token)
        var alice = TURNClientScript.alice()
        let request = try relay.openRelay(&alice, [RequestedTransport.udp, ReservationToken(token)])
        #expect(request.reservationToken == token)
        #expect(!request.evenPort)
        #expect(!request.reserveNextPort)
    }

    @Test func allocatesAnIPv6RelayWhenAskedAndConfigured() throws {
        var relay = try TURNRelayHarness { $0.relayIPv6 = TURNRelayHarness.relayIPv6 }
        var alice = TURNClientScript.alice()
        let request = try relay.openRelay(&alice, [RequestedTransport.udp, RequestedAddressFamily(.ipv6)])
        #expect(request.address == TURNRelayHarness.relayIPv6)
        let response = try relay.complete(request)
        try expectSuccess(response, signedWith: alice.key)
        #expect(
            try response.attribute(XORRelayedAddress.self)?.address
                == STUNTransportAddress(address: TURNRelayHarness.relayIPv6, port: 50_000)
        )
    }

    @Test func retransmittedAllocateGetsTheIdenticalResponse() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        try relay.challenge(&alice)
        let transactionID = alice.nextTransactionID()
        let allocate = alice.signed(.allocate, [RequestedTransport.udp], transactionID: transactionID)
        let request = try #require(relay.handle(allocate, from: alice).first?.relayRequest)

        // While the relay socket is being bound, the retransmission and any other request wait.
        #expect(relay.handle(allocate, from: alice) == [.ignore(.allocationPending)])
        #expect(relay.handle(alice.signed(.refresh), from: alice) == [.ignore(.allocationPending)])
        #expect(
            relay.handle(alice.unauthenticated(.allocate, [RequestedTransport.udp]), from: alice) == [
                .ignore(.allocationPending)
            ]
        )

        let first = relay.processor.completeAllocation(
            request,
            relayPort: 50_000,
            reservationToken: nil,
            now: relay.now
        )
        let firstBytes = try #require(first.first?.responseBytes)
        relay.advance(by: .seconds(2))
        let again = relay.handle(allocate, from: alice)
        #expect(again.count == 1)
        #expect(again.first?.responseBytes == firstBytes)
        #expect(again.first?.summary == ResponseSummary(method: .allocate, errorCode: nil))
        #expect(relay.processor.allocationCount == 1)
        #expect(relay.quotas.count(user: "alice") == 1)
    }

    @Test func newAllocateOnAnAllocatedFiveTupleGets437() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        let response = try relay.request(&alice, .allocate, [RequestedTransport.udp])
        try expectError(response, .allocationMismatch, signedWith: alice.key)
        #expect(relay.processor.allocationCount == 1)
        #expect(relay.quotas.count(user: "alice") == 1)
    }

    @Test func completingARelayNobodyAskedForClosesIt() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        let request = try relay.openRelay(&alice)
        _ = try relay.complete(request)
        let late = relay.processor.completeAllocation(request, relayPort: 50_001, reservationToken: nil, now: relay.now)
        #expect(late == [.closeRelay(alice.fiveTuple)])
        #expect(relay.processor.allocation(for: alice.fiveTuple)?.relayedAddress.port == 50_000)
    }

    /// An Allocate the processor refuses, and the code it must answer with.
    struct Rejection: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var attributes: [any STUNAttributeValue]
        var raw: [STUNAttribute] = []
        var code: STUNErrorCode
    }

    static let rejections: [Rejection] = [
        Rejection(testDescription: "no REQUESTED-TRANSPORT", attributes: [], code: .badRequest),
        Rejection(
            testDescription: "malformed REQUESTED-TRANSPORT",
            attributes: [],
            raw: [STUNAttribute(type: .requestedTransport, value: [17])],
            code: .badRequest
        ),
        Rejection(testDescription: "TCP over UDP (RFC 6062 Section 5.1)", attributes: [RequestedTransport.tcp], code: .badRequest),
        Rejection(testDescription: "SCTP", attributes: [RequestedTransport(protocolNumber: 132)], code: .unsupportedTransportProtocol),
        Rejection(
            testDescription: "IPv6 without an IPv6 relay",
            attributes: [RequestedTransport.udp, RequestedAddressFamily(.ipv6)],
            code: .addressFamilyNotSupported
        ),
        Rejection(
            testDescription: "RESERVATION-TOKEN with EVEN-PORT",
            attributes: [
                RequestedTransport.udp, ReservationToken([1, 2, 3, 4, 5, 6, 7, 8]), EvenPort(reserveNextPort: false),
            ],
            code: .badRequest
        ),
        Rejection(
            testDescription: "RESERVATION-TOKEN with REQUESTED-ADDRESS-FAMILY",
            attributes: [
                RequestedTransport.udp, ReservationToken([1, 2, 3, 4, 5, 6, 7, 8]), RequestedAddressFamily(.ipv4),
            ],
            code: .badRequest
        ),
        Rejection(
            testDescription: "REQUESTED-ADDRESS-FAMILY with ADDITIONAL-ADDRESS-FAMILY",
            attributes: [RequestedTransport.udp, RequestedAddressFamily(.ipv4), AdditionalAddressFamily(.ipv6)],
            code: .badRequest
        ),
        Rejection(
            testDescription: "ADDITIONAL-ADDRESS-FAMILY IPv4",
            attributes: [RequestedTransport.udp, AdditionalAddressFamily(.ipv4)],
            code: .badRequest
        ),
        Rejection(
            testDescription: "malformed LIFETIME",
            attributes: [RequestedTransport.udp],
            raw: [STUNAttribute(type: .lifetime, value: [0, 0])],
            code: .badRequest
        ),
        Rejection(
            testDescription: "malformed RESERVATION-TOKEN",
            attributes: [RequestedTransport.udp],
            raw: [STUNAttribute(type: .reservationToken, value: [1, 2, 3, 4])],
            code: .badRequest
        ),
        Rejection(
            testDescription: "malformed EVEN-PORT",
            attributes: [RequestedTransport.udp],
            raw: [STUNAttribute(type: .evenPort, value: [0x80, 0])],
            code: .badRequest
        ),
    ]

    @Test(arguments: rejections)
    func rejectsAllocateWithTheExactCode(_ rejection: Rejection) throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        let response = try relay.request(&alice, .allocate, rejection.attributes, raw: rejection.raw)
        try expectError(response, rejection.code, signedWith: alice.key)
        #expect(relay.processor.allocationCount == 0)
        #expect(relay.quotas.total == 0)
    }

    @Test func refusesIPv4WhenOnlyIPv6IsRelayed() throws {
        var relay = try TURNRelayHarness {
            $0.relayIPv4 = nil
            $0.relayIPv6 = TURNRelayHarness.relayIPv6
        }
        var alice = TURNClientScript.alice()
        let response = try relay.request(&alice, .allocate, [RequestedTransport.udp])
        try expectError(response, .addressFamilyNotSupported, signedWith: alice.key)
    }

    @Test func unknownComprehensionRequiredAttributeGets420WithUnknownAttributes() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        let unknown = STUNAttribute(type: STUNAttributeType(rawValue: 0x7F01), value: [1, 2, 3, 4])
        let response = try relay.request(&alice, .allocate, [RequestedTransport.udp], raw: [unknown])
        try expectError(response, .unknownAttribute, signedWith: alice.key)
        #expect(try response.attribute(UnknownAttributes.self)?.types == [STUNAttributeType(rawValue: 0x7F01)])
        #expect(relay.quotas.total == 0)
    }

    @Test func unknownComprehensionOptionalAttributeIsIgnored() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        let optional = STUNAttribute(type: STUNAttributeType(rawValue: 0xC001), value: [1, 2, 3, 4])
        let request = try relay.openRelay(&alice, [RequestedTransport.udp], raw: [optional])
        #expect(request.fiveTuple == alice.fiveTuple)
    }

    @Test func unauthenticatedRequestIsChallengedBeforeAttributesAreJudged() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        let unknown = STUNAttribute(type: STUNAttributeType(rawValue: 0x7F01), value: [1, 2, 3, 4])
        let response = try relay.response(
            to: alice.unauthenticated(.allocate, [RequestedTransport.tcp], raw: [unknown]),
            from: alice
        )
        try expectError(response, .unauthorized, signedWith: nil)
    }

    @Test func additionalIPv6FamilySucceedsWithAnAddressErrorCode() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        let request = try relay.openRelay(&alice, [RequestedTransport.udp, AdditionalAddressFamily(.ipv6)])
        #expect(request.address == TURNRelayHarness.relayIPv4)
        let response = try relay.complete(request)
        try expectSuccess(response, signedWith: alice.key)
        let addressError = try #require(try response.attribute(AddressErrorCode.self))
        #expect(addressError.family == .ipv6)
        #expect(addressError.code == .addressFamilyNotSupported)
        #expect(
            try response.attribute(XORRelayedAddress.self)?.address
                == STUNTransportAddress(address: TURNRelayHarness.relayIPv4, port: 50_000)
        )
    }

    @Test func additionalIPv6FamilyMakesADualAllocation() throws {
        var relay = try TURNRelayHarness { $0.relayIPv6 = TURNRelayHarness.relayIPv6 }
        var alice = TURNClientScript.alice()
        let request = try relay.openRelay(&alice, [RequestedTransport.udp, AdditionalAddressFamily(.ipv6)])
        #expect(request.address == TURNRelayHarness.relayIPv4)
        #expect(request.additionalAddress == TURNRelayHarness.relayIPv6)
        let response = try Self.onlyResponse(relay.processor.completeAllocation(
            request, relayPort: 50_000, additionalPort: 50_100, reservationToken: nil, now: relay.now))
        try expectSuccess(response, signedWith: alice.key)
        #expect(try response.attribute(AddressErrorCode.self) == nil)
        #expect(try response.attributes(XORRelayedAddress.self).map(\.address) == [
            STUNTransportAddress(address: TURNRelayHarness.relayIPv4, port: 50_000),
            STUNTransportAddress(address: TURNRelayHarness.relayIPv6, port: 50_100),
        ])
        let peers = [try STUNTransportAddress.peer("8.8.8.8"), try STUNTransportAddress.peer("2001:4860:4860::8888")]
        try relay.permit(&alice, peers)
        for peer in peers {
            #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: peer, now: relay.now) == .dataIndication)
        }
    }

    @Test func aDualAllocationWithoutItsIPv6SocketSaysSo() throws {
        var relay = try TURNRelayHarness { $0.relayIPv6 = TURNRelayHarness.relayIPv6 }
        var alice = TURNClientScript.alice()
        let request = try relay.openRelay(&alice, [RequestedTransport.udp, AdditionalAddressFamily(.ipv6)])
        let response = try Self.onlyResponse(relay.processor.completeAllocation(
            request, relayPort: 50_000, additionalPort: nil, reservationToken: nil, now: relay.now))
        try expectSuccess(response, signedWith: alice.key)
        let addressError = try #require(try response.attribute(AddressErrorCode.self))
        #expect(addressError.family == .ipv6 && addressError.code == .insufficientCapacity)
        #expect(try response.attributes(XORRelayedAddress.self).count == 1)
    }

    private static func onlyResponse(_ actions: [TURNAction]) throws -> STUNMessage {
        try TURNRelayHarness.onlyResponse(actions)
    }

    @Test func allocateAfterExpiryOnTheSameFiveTupleSucceeds() throws {
        var relay = try TURNRelayHarness { $0.userQuota = 1 }
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        relay.advance(by: .seconds(600))
        // The expiry timer has not run yet: the expired allocation must neither block the
        // 5-tuple (437) nor hold the user's only quota slot (486).
        let actions = relay.handle(alice.signed(.allocate, [RequestedTransport.udp]), from: alice)
        #expect(actions.first == .closeRelay(alice.fiveTuple))
        let request = try #require(actions.last?.relayRequest, "expected .openRelay, got \(actions)")
        let response = try relay.complete(request, relayPort: 50_020)
        try expectSuccess(response, signedWith: alice.key)
        #expect(relay.processor.allocation(for: alice.fiveTuple)?.expiresAt == relay.now + .seconds(600))
        #expect(relay.quotas.count(user: "alice") == 1)
        #expect(relay.processor.expire(now: relay.now + .seconds(1)) == [])
    }
}
