import STUNWire
import TURNCore
import Testing

/// Send indications, RFC 8656 Section 11.2: relayed when the peer has a permission, otherwise
/// dropped silently. An indication never gets a response.
struct TURNRequestProcessorSendTests {
    static let payload: [UInt8] = Array("hello, peer".utf8)
    static let peer = STUNTransportAddress(address: .v4(0x0808_0808), port: 7000)  // 8.8.8.8

    /// Alice with an allocation and a permission for ``peer``.
    static func permitted() throws -> (TURNRelayHarness, TURNClientScript) {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        try relay.permit(&alice, [Self.peer])
        return (relay, alice)
    }

    @Test func sendsTheDataToAPermittedPeer() throws {
        var (relay, alice) = try Self.permitted()
        let indication = alice.send(Self.payload, to: Self.peer)
        let actions = relay.handle(indication, from: alice)
        guard case .sendToPeer(let fiveTuple, let peer, let data)? = actions.first, actions.count == 1 else {
            Issue.record("expected one sendToPeer, got \(actions)")
            return
        }
        #expect(fiveTuple == alice.fiveTuple)
        #expect(peer == Self.peer)
        #expect(Array(indication[data]) == Self.payload)
        // Permissions are by IP address: another port of the same peer works too.
        let otherPort = STUNTransportAddress(address: Self.peer.address, port: 9000)
        let empty = alice.send([], to: otherPort)
        let otherActions = relay.handle(empty, from: alice)
        guard case .sendToPeer(let otherTuple, let otherPeer, let otherData)? = otherActions.first, otherActions.count == 1 else {
            Issue.record("expected one sendToPeer, got \(otherActions)")
            return
        }
        #expect(otherTuple == alice.fiveTuple)
        #expect(otherPeer == otherPort)
        #expect(Array(empty[otherData]).isEmpty)
    }

    @Test func ignoresAPeerWithoutPermission() throws {
        var (relay, alice) = try Self.permitted()
        let stranger = try STUNTransportAddress.peer("1.1.1.1")
        #expect(relay.handle(alice.send(Self.payload, to: stranger), from: alice) == [.ignore(.noPermission)])
    }

    @Test func ignoresOnceThePermissionExpires() throws {
        var (relay, alice) = try Self.permitted()
        relay.advance(by: .seconds(300))
        #expect(relay.handle(alice.send(Self.payload, to: Self.peer), from: alice) == [.ignore(.noPermission)])
    }

    @Test(arguments: ["127.0.0.1", "10.0.0.1", "169.254.169.254", "::ffff:127.0.0.1", "2606:4700:4700::1111"])
    func ignoresADeniedPeer(peerText: String) throws {
        var (relay, alice) = try Self.permitted()
        let peer = try STUNTransportAddress.peer(peerText)
        #expect(relay.handle(alice.send(Self.payload, to: peer), from: alice) == [.ignore(.deniedPeer)])
    }

    @Test func ignoresASendWithoutAnAllocation() throws {
        var (relay, alice) = try Self.permitted()
        var bob = TURNClientScript.bob()
        #expect(relay.handle(bob.send(Self.payload, to: Self.peer), from: bob) == [.ignore(.noAllocation)])
        relay.advance(by: .seconds(600))  // Alice's allocation has expired, not yet swept
        #expect(relay.handle(alice.send(Self.payload, to: Self.peer), from: alice) == [.ignore(.noAllocation)])
    }

    @Test func ignoresASendWhileTheRelayIsPending() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.openRelay(&alice)
        #expect(relay.handle(alice.send(Self.payload, to: Self.peer), from: alice) == [.ignore(.noAllocation)])
    }

    @Test func ignoresAMalformedIndication() throws {
        var (relay, alice) = try Self.permitted()
        #expect(
            relay.handle(alice.indication(.send, [XORPeerAddress(Self.peer)]), from: alice) == [
                .ignore(.malformedIndication)
            ]
        )
        #expect(
            relay.handle(alice.indication(.send, [DataAttribute(Self.payload)]), from: alice) == [
                .ignore(.malformedIndication)
            ]
        )
        #expect(relay.handle(alice.indication(.send, []), from: alice) == [.ignore(.malformedIndication)])
    }

    @Test func otherIndicationsAreIgnored() throws {
        var (relay, alice) = try Self.permitted()
        let data = alice.indication(.data, [XORPeerAddress(Self.peer), DataAttribute(Self.payload)])
        #expect(relay.handle(data, from: alice) == [.ignore(.indication)])
        #expect(relay.handle(alice.indication(.binding, []), from: alice) == [.ignore(.indication)])
    }

    @Test func indicationsAreNeverAnswered() throws {
        var (relay, alice) = try Self.permitted()
        var bob = TURNClientScript.bob()
        let unknown = STUNAttribute(type: STUNAttributeType(rawValue: 0x7F01), value: [1, 2, 3, 4])
        var withUnknown = STUNMessage(
            type: STUNMessageType(method: .send, messageClass: .indication),
            transactionID: alice.nextTransactionID()
        )
        withUnknown.append(XORPeerAddress(Self.peer))
        withUnknown.append(DataAttribute(Self.payload))
        withUnknown.attributes.append(unknown)
        let indications: [(TURNClientScript, [UInt8])] = [
            (alice, alice.send(Self.payload, to: Self.peer)),
            (alice, alice.send(Self.payload, to: try .peer("10.0.0.1"))),
            (alice, alice.send(Self.payload, to: try .peer("1.1.1.1"))),
            (alice, alice.indication(.send, [])),
            (alice, withUnknown.serialize(integrity: nil, fingerprint: false)),
            (bob, bob.send(Self.payload, to: Self.peer)),
        ]
        for (client, bytes) in indications {
            let actions = relay.handle(bytes, from: client)
            #expect(!actions.isEmpty)
            #expect(!actions.contains { $0.isResponse }, "answered an indication: \(actions)")
        }
    }
}
