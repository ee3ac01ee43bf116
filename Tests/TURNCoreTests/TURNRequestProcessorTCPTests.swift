import STUNWire
import TURNCore
import Testing

/// TCP allocations, RFC 6062: Allocate over TCP, Connect (Section 5.2), ConnectionBind
/// (Section 5.3) and peers connecting to the relayed address, with scripted time.
struct TURNRequestProcessorTCPTests {
    /// A client on a TCP connection (the control connection of a TCP allocation).
    static func tcpClient(_ client: TURNClientScript) -> TURNClientScript {
        var client = client
        client.fiveTuple.transport = .tcp
        return client
    }

    static let peer = STUNTransportAddress(address: .v4(0x0808_0808), port: 7000)

    /// A TCP allocation for alice on a TCP control connection.
    static func allocated(_ relay: inout TURNRelayHarness) throws -> TURNClientScript {
        var alice = Self.tcpClient(.alice())
        let request = try relay.openRelay(&alice, [RequestedTransport.tcp])
        #expect(request.transport == .tcp)
        let response = try relay.complete(request)
        try expectSuccess(response, signedWith: alice.key)
        return alice
    }

    /// Sends Connect and returns the transport's connect request.
    static func connect(_ relay: inout TURNRelayHarness, _ client: inout TURNClientScript, to peer: STUNTransportAddress) throws
        -> TCPConnectRequest
    {
        let actions = relay.handle(client.signed(.connect, [XORPeerAddress(peer)]), from: client)
        #expect(actions.count == 1)
        guard case .connectPeer(let request)? = actions.first else {
            Issue.record("expected .connectPeer, got \(actions)")
            throw CancellationError()
        }
        return request
    }

    @Test func allocateTCPOverTCPAsksForATCPListener() throws {
        var relay = try TURNRelayHarness()
        var alice = Self.tcpClient(.alice())
        let request = try relay.openRelay(&alice, [RequestedTransport.tcp])
        #expect(request.transport == .tcp)
        #expect(request.address == TURNRelayHarness.relayIPv4)
        let response = try relay.complete(request, relayPort: 50_010)
        try expectSuccess(response, signedWith: alice.key)
        #expect(try response.attribute(XORRelayedAddress.self)?.address.port == 50_010)
        #expect(relay.processor.tcpConnectionIDs(on: alice.fiveTuple).isEmpty)
    }

    @Test func allocateTCPOverUDPGets400() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        let response = try relay.request(&alice, .allocate, [RequestedTransport.tcp])
        try expectError(response, .badRequest, signedWith: alice.key)
        #expect(relay.quotas.total == 0)
    }

    @Test func allocateTCPWhenDisabledGets442() throws {
        var relay = try TURNRelayHarness { $0.tcpRelayEnabled = false }
        var alice = Self.tcpClient(.alice())
        let response = try relay.request(&alice, .allocate, [RequestedTransport.tcp])
        try expectError(response, .unsupportedTransportProtocol, signedWith: alice.key)
    }

    @Test func allocateTCPWithEvenPortGets400() throws {
        var relay = try TURNRelayHarness()
        var alice = Self.tcpClient(.alice())
        let response = try relay.request(&alice, .allocate, [RequestedTransport.tcp, EvenPort(reserveNextPort: false)])
        try expectError(response, .badRequest, signedWith: alice.key)
    }

    @Test func connectWithoutAllocationGets437() throws {
        var relay = try TURNRelayHarness()
        var alice = Self.tcpClient(.alice())
        let response = try relay.request(&alice, .connect, [XORPeerAddress(Self.peer)])
        try expectError(response, .allocationMismatch, signedWith: alice.key)
    }

    @Test func connectOnAUDPAllocationGets400() throws {
        var relay = try TURNRelayHarness()
        var alice = Self.tcpClient(.alice())
        _ = try relay.allocate(&alice)
        let response = try relay.request(&alice, .connect, [XORPeerAddress(Self.peer)])
        try expectError(response, .badRequest, signedWith: alice.key)
    }

    @Test func connectWithoutPeerGets400() throws {
        var relay = try TURNRelayHarness()
        var alice = try Self.allocated(&relay)
        let response = try relay.request(&alice, .connect)
        try expectError(response, .badRequest, signedWith: alice.key)
    }

    @Test func connectToADeniedPeerGets403() throws {
        var relay = try TURNRelayHarness()
        var alice = try Self.allocated(&relay)
        let response = try relay.request(&alice, .connect, [XORPeerAddress(try .peer("127.0.0.1"))])
        try expectError(response, .forbidden, signedWith: alice.key)
        #expect(relay.processor.tcpConnections.count == 0)
    }

    @Test func connectToAnIPv6PeerFromAnIPv4RelayGets443() throws {
        var relay = try TURNRelayHarness()
        var alice = try Self.allocated(&relay)
        let response = try relay.request(&alice, .connect, [XORPeerAddress(try .peer("2606:4700:4700::1111"))])
        try expectError(response, .peerAddressFamilyMismatch, signedWith: alice.key)
    }

    @Test func connectSucceedsWithAConnectionIDAndAPermission() throws {
        var relay = try TURNRelayHarness()
        var alice = try Self.allocated(&relay)
        let connect = try Self.connect(&relay, &alice, to: Self.peer)
        #expect(connect.peer == Self.peer)
        #expect(connect.relayedAddress == STUNTransportAddress(address: TURNRelayHarness.relayIPv4, port: 50_000))
        #expect(connect.timeout <= .seconds(30))
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: Self.peer, now: relay.now) != .drop)

        let response = try TURNRelayHarness.onlyResponse(relay.processor.completeConnect(connect, now: relay.now))
        try expectSuccess(response, signedWith: alice.key)
        #expect(response.type == STUNMessageType(method: .connect, messageClass: .successResponse))
        #expect(try response.attribute(ConnectionID.self)?.rawValue == connect.connectionID)
        #expect(relay.processor.tcpConnectionIDs(on: alice.fiveTuple) == [connect.connectionID])
    }

    @Test func secondConnectToTheSamePeerGets446() throws {
        var relay = try TURNRelayHarness()
        var alice = try Self.allocated(&relay)
        let connect = try Self.connect(&relay, &alice, to: Self.peer)
        // While connecting.
        try expectError(try relay.request(&alice, .connect, [XORPeerAddress(Self.peer)]), .connectionAlreadyExists, signedWith: alice.key)
        _ = relay.processor.completeConnect(connect, now: relay.now)
        // While connected.
        try expectError(try relay.request(&alice, .connect, [XORPeerAddress(Self.peer)]), .connectionAlreadyExists, signedWith: alice.key)
        // Another port of the same peer is another connection.
        let otherPort = STUNTransportAddress(address: Self.peer.address, port: 7001)
        _ = try Self.connect(&relay, &alice, to: otherPort)
        // Once closed, the peer may be connected again.
        relay.processor.tcpConnectionClosed(connect.connectionID, on: alice.fiveTuple)
        _ = try Self.connect(&relay, &alice, to: Self.peer)
    }

    @Test func failedConnectGets447() throws {
        var relay = try TURNRelayHarness()
        var alice = try Self.allocated(&relay)
        let connect = try Self.connect(&relay, &alice, to: Self.peer)
        let response = try TURNRelayHarness.onlyResponse(relay.processor.failConnect(connect))
        try expectError(response, .connectionTimeoutOrFailure, signedWith: alice.key)
        #expect(relay.processor.tcpConnections.count == 0)
        #expect(relay.processor.tcpConnectionIDs(on: alice.fiveTuple).isEmpty)
    }

    @Test func connectionsPerAllocationAreCapped() throws {
        var relay = try TURNRelayHarness()
        var alice = try Self.allocated(&relay)
        for port in 0..<UInt16(TCPAllocationState.maximumConnections) {
            _ = try Self.connect(&relay, &alice, to: STUNTransportAddress(address: Self.peer.address, port: 8000 + port))
        }
        let response = try relay.request(&alice, .connect, [XORPeerAddress(STUNTransportAddress(address: Self.peer.address, port: 9999))])
        try expectError(response, .insufficientCapacity, signedWith: alice.key)
    }

    @Test func channelBindOnATCPAllocationGets400() throws {
        var relay = try TURNRelayHarness()
        var alice = try Self.allocated(&relay)
        let response = try relay.request(&alice, .channelBind, [ChannelNumber(0x4000), XORPeerAddress(Self.peer)])
        try expectError(response, .badRequest, signedWith: alice.key)
    }

    /// Connect, connected, and a data connection from alice's host at another port.
    static func connected(_ relay: inout TURNRelayHarness) throws -> (control: TURNClientScript, id: UInt32) {
        var alice = try Self.allocated(&relay)
        let connect = try Self.connect(&relay, &alice, to: Self.peer)
        _ = relay.processor.completeConnect(connect, now: relay.now)
        return (alice, connect.connectionID)
    }

    @Test func connectionBindOnANewConnectionBindsIt() throws {
        var relay = try TURNRelayHarness()
        let (alice, id) = try Self.connected(&relay)
        var data = Self.tcpClient(.alice(port: 40_001))
        // The data connection may use the nonce it learnt on the control connection.
        data.realm = alice.realm
        data.nonce = alice.nonce
        let actions = relay.handle(data.signed(.connectionBind, [ConnectionID(id)]), from: data)
        #expect(actions.count == 2)
        let response = try STUNMessage(parsing: try #require(actions.first?.responseBytes))
        try expectSuccess(response, signedWith: data.key)
        #expect(response.type == STUNMessageType(method: .connectionBind, messageClass: .successResponse))
        #expect(actions.last == .bindConnection(TCPConnectionBindRequest(connectionID: id, dataFiveTuple: data.fiveTuple, owner: alice.fiveTuple)))
        #expect(relay.processor.tcpConnections.entry(id)?.isBound == true)

        // Bound once only.
        let again = try relay.request(&data, .connectionBind, [ConnectionID(id)])
        try expectError(again, .badRequest, signedWith: data.key)
    }

    @Test func connectionBindByAnotherUserGets441() throws {
        var relay = try TURNRelayHarness()
        let (_, id) = try Self.connected(&relay)
        var bob = Self.tcpClient(.bob())
        let response = try relay.request(&bob, .connectionBind, [ConnectionID(id)])
        try expectError(response, .wrongCredentials, signedWith: bob.key)
        #expect(relay.processor.tcpConnections.entry(id)?.isBound == false)
    }

    @Test func connectionBindWithAnUnknownIDGets400() throws {
        var relay = try TURNRelayHarness()
        let (_, id) = try Self.connected(&relay)
        var data = Self.tcpClient(.alice(port: 40_001))
        try expectError(try relay.request(&data, .connectionBind, [ConnectionID(id &+ 1)]), .badRequest, signedWith: data.key)
        try expectError(try relay.request(&data, .connectionBind), .badRequest, signedWith: data.key)
    }

    @Test func connectionBindOverUDPGets400() throws {
        var relay = try TURNRelayHarness()
        let (_, id) = try Self.connected(&relay)
        var data = TURNClientScript.alice(port: 40_001)
        try expectError(try relay.request(&data, .connectionBind, [ConnectionID(id)]), .badRequest, signedWith: data.key)
    }

    @Test func connectionBindAfterThirtySecondsGets400AndTheIDIsForgotten() throws {
        var relay = try TURNRelayHarness()
        let (alice, id) = try Self.connected(&relay)
        relay.advance(by: .seconds(30))
        var data = Self.tcpClient(.alice(port: 40_001))
        try expectError(try relay.request(&data, .connectionBind, [ConnectionID(id)]), .badRequest, signedWith: data.key)
        #expect(relay.processor.tcpConnections.entry(id) == nil)
        // The owner's timer closes the peer connection.
        let expired = relay.processor.expireTCPConnection(id, on: alice.fiveTuple, now: relay.now)
        #expect(expired)
        #expect(relay.processor.tcpConnectionIDs(on: alice.fiveTuple).isEmpty)
    }

    @Test func bindTimerKeepsABoundConnection() throws {
        var relay = try TURNRelayHarness()
        let (alice, id) = try Self.connected(&relay)
        relay.advance(by: .seconds(29))
        var data = Self.tcpClient(.alice(port: 40_001))
        try relay.challenge(&data)
        data.nonce = alice.nonce
        let actions = relay.handle(data.signed(.connectionBind, [ConnectionID(id)]), from: data)
        #expect(actions.count == 2)
        relay.advance(by: .seconds(1))
        let expired = relay.processor.expireTCPConnection(id, on: alice.fiveTuple, now: relay.now)
        #expect(!expired)
    }

    @Test func connectionBindOnAnotherLoopSharesTheRegistry() throws {
        let quotas = QuotaLedger()
        let registry = TCPConnectionRegistry()
        var owner = try TURNRelayHarness(quotas: quotas) { _ in }
        owner.processor = TURNRequestProcessor(
            configuration: owner.processor.configuration, authenticator: owner.processor.authenticator,
            quotas: quotas, tcpConnections: registry)
        var other = owner
        let (alice, id) = try Self.connected(&owner)
        var data = Self.tcpClient(.alice(port: 40_001))
        data.realm = alice.realm
        data.nonce = alice.nonce
        let actions = other.handle(data.signed(.connectionBind, [ConnectionID(id)]), from: data)
        #expect(actions.count == 2)
        #expect(registry.entry(id)?.isBound == true)
    }

    @Test func peerWithoutPermissionIsRefused() throws {
        var relay = try TURNRelayHarness()
        let alice = try Self.allocated(&relay)
        let decision = relay.processor.acceptPeerConnection(
            on: alice.fiveTuple, from: Self.peer, transactionID: STUNTransactionID(high: 1, low: 2), now: relay.now)
        #expect(decision == .reject)
    }

    @Test func permittedPeerGetsAConnectionAttempt() throws {
        var relay = try TURNRelayHarness()
        var alice = try Self.allocated(&relay)
        try relay.permit(&alice, [Self.peer])
        let peer = STUNTransportAddress(address: Self.peer.address, port: 51_234)
        let decision = relay.processor.acceptPeerConnection(
            on: alice.fiveTuple, from: peer, transactionID: STUNTransactionID(high: 1, low: 2), now: relay.now)
        guard case .accept(let id, let bytes) = decision else {
            Issue.record("expected .accept, got \(decision)")
            return
        }
        let indication = try STUNMessage(parsing: bytes)
        #expect(indication.type == STUNMessageType(method: .connectionAttempt, messageClass: .indication))
        #expect(try indication.attribute(XORPeerAddress.self)?.address == peer)
        #expect(try indication.attribute(ConnectionID.self)?.rawValue == id)
        #expect(relay.processor.tcpConnections.entry(id)?.owner == alice.fiveTuple)

        // The client binds it on a new connection.
        var data = Self.tcpClient(.alice(port: 40_002))
        data.realm = alice.realm
        data.nonce = alice.nonce
        let actions = relay.handle(data.signed(.connectionBind, [ConnectionID(id)]), from: data)
        #expect(actions.count == 2)
    }

    @Test func closingTheControlConnectionForgetsItsConnections() throws {
        var relay = try TURNRelayHarness()
        let (alice, id) = try Self.connected(&relay)
        #expect(relay.processor.tcpConnections.count == 1)
        let actions = relay.processor.remove(alice.fiveTuple)
        #expect(actions == [.closeRelay(alice.fiveTuple)])
        #expect(relay.processor.tcpConnections.entry(id) == nil)
        #expect(relay.quotas.total == 0)
    }

    @Test func expiryForgetsTheConnectionsToo() throws {
        var relay = try TURNRelayHarness()
        let (alice, _) = try Self.connected(&relay)
        relay.advance(by: .seconds(600))
        let actions = relay.processor.expire(now: relay.now)
        #expect(actions == [.closeRelay(alice.fiveTuple)])
        #expect(relay.processor.tcpConnections.count == 0)
    }

    @Test func sendIndicationOnATCPAllocationIsDropped() throws {
        var relay = try TURNRelayHarness()
        var alice = try Self.allocated(&relay)
        try relay.permit(&alice, [Self.peer])
        #expect(relay.handle(alice.send([1, 2, 3], to: Self.peer), from: alice) == [.ignore(.noAllocation)])
    }
}

/// Before authentication, ConnectionBind tells nothing about which CONNECTION-IDs are live
/// (RFC 6062 Section 5.3 with RFC 8489 Section 9.2.4's checks done first).
struct TURNConnectionBindOracleTests {
    /// The answer to a ConnectionBind for `id` from a client without valid credentials.
    static func answer(_ relay: inout TURNRelayHarness, _ client: inout TURNClientScript, id: UInt32) throws -> STUNMessage {
        try relay.response(to: client.signed(.connectionBind, [ConnectionID(id)]), from: client)
    }

    @Test func aLiveAndAnUnknownIDGetTheSameAnswerWithoutCredentials() throws {
        var relay = try TURNRelayHarness()
        let (_, id) = try TURNRequestProcessorTCPTests.connected(&relay)
        var mallory = TURNRequestProcessorTCPTests.tcpClient(
            TURNClientScript(username: "mallory", password: "guess", port: 45_000, address: .v4(0xC633_6407)))
        try relay.challenge(&mallory)
        let live = try Self.answer(&relay, &mallory, id: id)
        let unknown = try Self.answer(&relay, &mallory, id: id &+ 1)
        let liveCode = try live.attribute(ErrorCodeAttribute.self)?.code
        #expect(liveCode == .unauthorized)
        #expect(liveCode == (try unknown.attribute(ErrorCodeAttribute.self)?.code))

        // With a nonce issued to another address, both get 438 alike.
        mallory.nonce = "obsolete-nonce-0123456789"
        let staleLive = try Self.answer(&relay, &mallory, id: id)
        let staleUnknown = try Self.answer(&relay, &mallory, id: id &+ 1)
        #expect(try staleLive.attribute(ErrorCodeAttribute.self)?.code == .staleNonce)
        #expect(try staleUnknown.attribute(ErrorCodeAttribute.self)?.code == .staleNonce)
        #expect(relay.processor.tcpConnections.entry(id)?.isBound == false)
    }

    @Test func theOwnersNonceFromTheControlConnectionStillBinds() throws {
        var relay = try TURNRelayHarness()
        let (alice, id) = try TURNRequestProcessorTCPTests.connected(&relay)
        var data = TURNRequestProcessorTCPTests.tcpClient(.alice(port: 40_005))
        data.realm = alice.realm
        data.nonce = alice.nonce
        let actions = relay.handle(data.signed(.connectionBind, [ConnectionID(id)]), from: data)
        try expectSuccess(try STUNMessage(parsing: try #require(actions.first?.responseBytes)), signedWith: data.key)
    }
}
