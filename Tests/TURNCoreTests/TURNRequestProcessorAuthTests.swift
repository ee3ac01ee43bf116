import Foundation
import STUNWire
import TURNAuth
import TURNCore
import Testing

/// The long-term credential mechanism as the processor applies it (RFC 8489 Section 9.2.4,
/// RFC 8656 Section 5): 401 and 438 challenges, REST credentials, and 441 for another user's
/// allocation.
struct TURNRequestProcessorAuthTests {
    /// Checks a 401 or 438: unsigned, with REALM and a NONCE.
    func expectChallenge(
        _ response: STUNMessage,
        _ code: STUNErrorCode,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        try expectError(response, code, signedWith: nil, sourceLocation: sourceLocation)
        #expect(try response.attribute(Realm.self)?.text == TURNRelayHarness.realm, sourceLocation: sourceLocation)
        #expect(try response.attribute(Nonce.self) != nil, sourceLocation: sourceLocation)
    }

    @Test func wrongPasswordGets401() throws {
        var relay = try TURNRelayHarness()
        var mallory = TURNClientScript(username: "alice", password: "guess", port: 40_000)
        try relay.challenge(&mallory)
        let response = try relay.response(to: mallory.signed(.allocate, [RequestedTransport.udp]), from: mallory)
        try expectChallenge(response, .unauthorized)
        #expect(relay.quotas.total == 0)
    }

    @Test func unknownUserGets401() throws {
        var relay = try TURNRelayHarness()
        var nobody = TURNClientScript(username: "nobody", password: "secret", port: 40_000)
        try relay.challenge(&nobody)
        try expectChallenge(
            try relay.response(to: nobody.signed(.allocate, [RequestedTransport.udp]), from: nobody),
            .unauthorized
        )
    }

    @Test func expiredRESTCredentialGets401() throws {
        var relay = try TURNRelayHarness()
        let credential = RESTCredential(user: "carol", expiry: relay.date - 1, secret: "s1")
        var carol = TURNClientScript(username: credential.username, password: credential.password, port: 42_000)
        try relay.challenge(&carol)
        try expectChallenge(
            try relay.response(to: carol.signed(.allocate, [RequestedTransport.udp]), from: carol),
            .unauthorized
        )
    }

    @Test(arguments: TURNRelayHarness.restSecrets)
    func restCredentialFromAnyConfiguredSecretWorks(secret: String) throws {
        var relay = try TURNRelayHarness()
        let credential = RESTCredential(user: "carol", expiry: relay.date + 3600, secret: secret)
        var carol = TURNClientScript(username: credential.username, password: credential.password, port: 42_000)
        let response = try relay.allocate(&carol)
        try expectSuccess(response, signedWith: carol.key)
        let allocation = try #require(relay.processor.allocation(for: carol.fiveTuple))
        #expect(allocation.username == credential.username)
        #expect(allocation.quotaUser == "carol")
    }

    @Test func restCredentialFromAnUnknownSecretGets401() throws {
        var relay = try TURNRelayHarness()
        let credential = RESTCredential(user: "carol", expiry: relay.date + 3600, secret: "s3")
        var carol = TURNClientScript(username: credential.username, password: credential.password, port: 42_000)
        try relay.challenge(&carol)
        try expectChallenge(
            try relay.response(to: carol.signed(.allocate, [RequestedTransport.udp]), from: carol),
            .unauthorized
        )
    }

    @Test func staleNonceGets438ThenTheNewNonceWorks() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        try relay.challenge(&alice)
        let firstNonce = try #require(alice.nonce)

        relay.advance(by: .seconds(601))
        let stale = try relay.response(to: alice.signed(.allocate, [RequestedTransport.udp]), from: alice)
        try expectChallenge(stale, .staleNonce)
        #expect(relay.quotas.total == 0)
        let learnt = alice.learn(from: stale)
        #expect(learnt, "no REALM and NONCE in the challenge")
        #expect(alice.nonce != firstNonce)

        try expectSuccess(try relay.allocate(&alice), signedWith: alice.key)
    }

    @Test func nonceIsFreshForItsWholeLifetime() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        try relay.challenge(&alice)
        relay.advance(by: .seconds(600))
        try expectSuccess(try relay.allocate(&alice), signedWith: alice.key)
    }

    @Test func staleNonceOnRefreshIsRetriedWithTheNewNonce() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice, [RequestedTransport.udp, Lifetime(3600)])
        relay.advance(by: .seconds(900))
        let stale = try relay.response(to: alice.signed(.refresh, [Lifetime(3600)]), from: alice)
        try expectChallenge(stale, .staleNonce)
        let learnt = alice.learn(from: stale)
        #expect(learnt, "no REALM and NONCE in the challenge")
        let refreshed = try relay.request(&alice, .refresh, [Lifetime(3600)])
        try expectSuccess(refreshed, signedWith: alice.key)
        #expect(relay.processor.allocation(for: alice.fiveTuple)?.expiresAt == relay.now + .seconds(3600))
    }

    @Test func nonceFromAnotherClientAddressIsStale() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice(port: 40_000)
        try relay.challenge(&alice)
        var moved = TURNClientScript.alice(port: 40_001)
        moved.realm = alice.realm
        moved.nonce = alice.nonce
        try expectChallenge(
            try relay.response(to: moved.signed(.allocate, [RequestedTransport.udp]), from: moved),
            .staleNonce
        )
    }

    @Test func anotherUserOnTheAllocationGets441() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.allocate(&alice)
        var bob = TURNClientScript.bob()
        bob.fiveTuple = alice.fiveTuple

        try expectError(try relay.request(&bob, .refresh, [Lifetime(0)]), .wrongCredentials, signedWith: bob.key)
        let peer = try STUNTransportAddress.peer("8.8.8.8")
        try expectError(
            try relay.request(&bob, .createPermission, [XORPeerAddress(peer)]),
            .wrongCredentials,
            signedWith: bob.key
        )
        try expectError(
            try relay.request(&bob, .channelBind, [ChannelNumber(0x4000), XORPeerAddress(peer)]),
            .wrongCredentials,
            signedWith: bob.key
        )
        #expect(relay.processor.allocation(for: alice.fiveTuple) != nil)
        #expect(relay.processor.peerDelivery(on: alice.fiveTuple, from: peer, now: relay.now) == .drop)
        #expect(relay.quotas.count(user: "alice") == 1)
    }

    @Test func requestWithoutNonceGets400() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        try relay.challenge(&alice)
        var message = STUNMessage(
            type: STUNMessageType(method: .allocate, messageClass: .request),
            transactionID: alice.nextTransactionID()
        )
        message.append(RequestedTransport.udp)
        message.append(Username("alice"))
        message.append(Realm(TURNRelayHarness.realm))
        let bytes = message.serialize(integrity: (alice.key, .sha1), fingerprint: true)
        try expectError(try relay.response(to: bytes, from: alice), .badRequest, signedWith: nil)
    }
}
