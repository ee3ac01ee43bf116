import Foundation
import STUNWire
import TURNAuth
import TURNCore
import Testing

/// Quotas, RFC 8656 Section 7.2: 486 over the user's quota, 508 over the server's, counted in
/// one ``QuotaLedger`` shared by the processors of every event loop.
struct TURNRequestProcessorQuotaTests {
    @Test func userQuotaRefusesTheThirdAllocationAcrossEventLoops() throws {
        let ledger = QuotaLedger()
        var loopA = try TURNRelayHarness(quotas: ledger) { $0.userQuota = 2 }
        var loopB = try TURNRelayHarness(quotas: ledger) { $0.userQuota = 2 }
        var first = TURNClientScript.alice(port: 40_001)
        var second = TURNClientScript.alice(port: 40_002)
        var third = TURNClientScript.alice(port: 40_003)

        try expectSuccess(try loopA.allocate(&first, relayPort: 50_001), signedWith: first.key)
        try expectSuccess(try loopB.allocate(&second, relayPort: 50_002), signedWith: second.key)
        #expect(ledger.count(user: "alice") == 2)

        try expectError(
            try loopA.request(&third, .allocate, [RequestedTransport.udp]),
            .allocationQuotaReached,
            signedWith: third.key
        )
        try expectError(
            try loopB.request(&third, .allocate, [RequestedTransport.udp]),
            .allocationQuotaReached,
            signedWith: third.key
        )
        #expect(ledger.count(user: "alice") == 2)

        var bob = TURNClientScript.bob()
        try expectSuccess(try loopA.allocate(&bob, relayPort: 50_003), signedWith: bob.key)

        let deleted = loopB.handle(second.signed(.refresh, [Lifetime(0)]), from: second)
        #expect(deleted.last == .closeRelay(second.fiveTuple))
        #expect(ledger.count(user: "alice") == 1)

        try expectSuccess(try loopA.allocate(&third, relayPort: 50_004), signedWith: third.key)
        #expect(ledger.count(user: "alice") == 2)
        #expect(ledger.total == 3)
    }

    @Test func expiryReturnsTheQuotaSlot() throws {
        var relay = try TURNRelayHarness { $0.userQuota = 1 }
        var first = TURNClientScript.alice(port: 40_001)
        var second = TURNClientScript.alice(port: 40_002)
        _ = try relay.allocate(&first)
        try expectError(
            try relay.request(&second, .allocate, [RequestedTransport.udp]),
            .allocationQuotaReached,
            signedWith: second.key
        )
        relay.advance(by: .seconds(600))
        #expect(relay.processor.expire(now: relay.now) == [.closeRelay(first.fiveTuple)])
        #expect(relay.quotas.count(user: "alice") == 0)
        try expectSuccess(try relay.allocate(&second, relayPort: 50_002), signedWith: second.key)
    }

    @Test func totalQuotaGets508() throws {
        let ledger = QuotaLedger()
        var loopA = try TURNRelayHarness(quotas: ledger) { $0.totalQuota = 2 }
        var loopB = try TURNRelayHarness(quotas: ledger) { $0.totalQuota = 2 }
        var alice = TURNClientScript.alice()
        var bob = TURNClientScript.bob()
        var aliceAgain = TURNClientScript.alice(port: 40_009)
        _ = try loopA.allocate(&alice)
        _ = try loopB.allocate(&bob, relayPort: 50_001)
        try expectError(
            try loopA.request(&aliceAgain, .allocate, [RequestedTransport.udp]),
            .insufficientCapacity,
            signedWith: aliceAgain.key
        )
        #expect(ledger.total == 2)

        #expect(loopB.processor.removeAll() == [.closeRelay(bob.fiveTuple)])
        #expect(ledger.total == 1)
        try expectSuccess(try loopA.allocate(&aliceAgain, relayPort: 50_002), signedWith: aliceAgain.key)
    }

    @Test func removeAllFreesEverySlotAndForgetsPendingAllocates() throws {
        let ledger = QuotaLedger()
        var relay = try TURNRelayHarness(quotas: ledger)
        var alice = TURNClientScript.alice()
        var bob = TURNClientScript.bob()
        _ = try relay.allocate(&alice)
        let pending = try relay.openRelay(&bob)
        #expect(ledger.total == 2)

        #expect(relay.processor.removeAll() == [.closeRelay(alice.fiveTuple)])
        #expect(ledger.total == 0)
        // The bind finished after shutdown: the socket is closed, no allocation appears.
        let late = relay.processor.completeAllocation(pending, relayPort: 50_001, reservationToken: nil, now: relay.now)
        #expect(late == [.closeRelay(bob.fiveTuple)])
        #expect(relay.processor.allocationCount == 0)
        #expect(ledger.total == 0)
    }

    @Test func failedRelaySocketGets508AndFreesTheSlot() throws {
        var relay = try TURNRelayHarness { $0.userQuota = 1 }
        var alice = TURNClientScript.alice()
        let request = try relay.openRelay(&alice)
        #expect(relay.quotas.count(user: "alice") == 1)

        let failed = relay.processor.failAllocation(request)
        #expect(failed.first?.summary == ResponseSummary(method: .allocate, errorCode: .insufficientCapacity, refusal: .serverCapacity))
        try expectError(try TURNRelayHarness.onlyResponse(failed), .insufficientCapacity, signedWith: alice.key)
        #expect(relay.quotas.count(user: "alice") == 0)
        #expect(relay.processor.allocationCount == 0)
        #expect(relay.processor.failAllocation(request) == [])

        try expectSuccess(try relay.allocate(&alice), signedWith: alice.key)
    }

    @Test func restCredentialsCountAgainstTheirUserPart() throws {
        var relay = try TURNRelayHarness { $0.userQuota = 1 }
        let early = RESTCredential(user: "carol", expiry: relay.date + 3600, secret: "s1")
        let late = RESTCredential(user: "carol", expiry: relay.date + 7200, secret: "s2")
        var first = TURNClientScript(username: early.username, password: early.password, port: 42_001)
        var second = TURNClientScript(username: late.username, password: late.password, port: 42_002)
        _ = try relay.allocate(&first)
        #expect(relay.quotas.count(user: "carol") == 1)
        try expectError(
            try relay.request(&second, .allocate, [RequestedTransport.udp]),
            .allocationQuotaReached,
            signedWith: second.key
        )
    }
}
