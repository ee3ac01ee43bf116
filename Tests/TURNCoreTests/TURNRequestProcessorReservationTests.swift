import STUNWire
import Testing
import TURNCore

/// EVEN-PORT reservations (RFC 8656 Section 7.2) count against the quota and end with their
/// allocation, their claim or their 30 seconds.
struct TURNRequestProcessorReservationTests {
    static let token: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]

    /// Alice's allocation with EVEN-PORT R=1, completed with ``token``.
    static func reserved(_ relay: inout TURNRelayHarness) throws -> TURNClientScript {
        var alice = TURNClientScript.alice()
        let request = try relay.openRelay(&alice, [RequestedTransport.udp, EvenPort(reserveNextPort: true)])
        #expect(relay.quotas.count(user: "alice") == 2)
        let response = try relay.complete(request, relayPort: 50_010, reservationToken: Self.token)
        #expect(try response.attribute(ReservationToken.self)?.bytes == Self.token)
        return alice
    }

    @Test func aReservationHoldsASecondQuotaSlot() throws {
        var relay = try TURNRelayHarness { $0.userQuota = 3 }
        var alice = try Self.reserved(&relay)
        #expect(relay.quotas.count(user: "alice") == 2)
        #expect(relay.processor.reservations.count == 1)
        // One slot is left: a second R=1 Allocate (two slots) is over the quota.
        var second = TURNClientScript.alice(port: 40_002)
        let refused = try relay.request(&second, .allocate, [RequestedTransport.udp, EvenPort(reserveNextPort: true)])
        try expectError(refused, .allocationQuotaReached, signedWith: second.key)
        #expect(relay.quotas.count(user: "alice") == 2)
        _ = try relay.request(&alice, .refresh, [Lifetime(600)])
    }

    @Test func deletingTheAllocationEndsItsReservation() throws {
        var relay = try TURNRelayHarness()
        var alice = try Self.reserved(&relay)
        let deleted = relay.handle(alice.signed(.refresh, [Lifetime(0)]), from: alice)
        #expect(deleted.last == .closeRelay(alice.fiveTuple))
        #expect(relay.quotas.count(user: "alice") == 0)
        #expect(relay.quotas.total == 0)
        #expect(relay.processor.reservations.count == 0)
        // The token claims nothing any more: 508 without asking the transport for a socket.
        var bob = TURNClientScript.bob()
        let response = try relay.request(&bob, .allocate, [RequestedTransport.udp, ReservationToken(Self.token)])
        try expectError(response, .insufficientCapacity, signedWith: bob.key)
        #expect(relay.quotas.total == 0)
    }

    @Test func aClaimMovesTheSlotToTheClaimingAllocation() throws {
        var relay = try TURNRelayHarness()
        _ = try Self.reserved(&relay)
        var bob = TURNClientScript.bob()
        let request = try relay.openRelay(&bob, [RequestedTransport.udp, ReservationToken(Self.token)])
        #expect(request.reservationToken == Self.token)
        #expect(relay.quotas.count(user: "alice") == 1)
        #expect(relay.quotas.count(user: "bob") == 1)
        _ = try relay.complete(request, relayPort: 50_011)
        #expect(relay.processor.reservations.count == 0)
        // Claimed once only.
        var carol = TURNClientScript.bob(port: 41_001)
        try expectError(
            try relay.request(&carol, .allocate, [RequestedTransport.udp, ReservationToken(Self.token)]), .insufficientCapacity,
            signedWith: carol.key)
    }

    @Test func anUnclaimedReservationLapsesAfterThirtySeconds() throws {
        var relay = try TURNRelayHarness()
        var alice = try Self.reserved(&relay)
        relay.advance(by: .seconds(29))
        _ = relay.processor.expire(now: relay.now)
        #expect(relay.quotas.count(user: "alice") == 2)
        relay.advance(by: .seconds(1))
        _ = relay.processor.expire(now: relay.now)
        #expect(relay.quotas.count(user: "alice") == 1)
        #expect(relay.processor.reservations.count == 0)
        // Deleting the allocation afterwards returns only its own slot.
        _ = relay.handle(alice.signed(.refresh, [Lifetime(0)]), from: alice)
        #expect(relay.quotas.total == 0)
    }

    @Test func aFailedBindReturnsBothSlots() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        let request = try relay.openRelay(&alice, [RequestedTransport.udp, EvenPort(reserveNextPort: true)])
        #expect(relay.quotas.total == 2)
        let response = try TURNRelayHarness.onlyResponse(relay.processor.failAllocation(request))
        try expectError(response, .insufficientCapacity, signedWith: alice.key)
        #expect(relay.quotas.total == 0)
    }

    @Test func aClientGoneBeforeItsBindReturnsBothSlots() throws {
        var relay = try TURNRelayHarness()
        var alice = TURNClientScript.alice()
        _ = try relay.openRelay(&alice, [RequestedTransport.udp, EvenPort(reserveNextPort: true)])
        _ = relay.processor.remove(alice.fiveTuple)
        #expect(relay.quotas.total == 0)
    }

    @Test func churnLeavesNothingBehind() throws {
        var relay = try TURNRelayHarness {
            $0.userQuota = 2
            $0.challengeRate = 0
        }
        for round in 0..<50 {
            var alice = TURNClientScript.alice(port: UInt16(42_000 + round))
            let request = try relay.openRelay(&alice, [RequestedTransport.udp, EvenPort(reserveNextPort: true)])
            _ = try relay.complete(request, relayPort: 50_010, reservationToken: [UInt8(round), 1, 2, 3, 4, 5, 6, 7])
            _ = relay.handle(alice.signed(.refresh, [Lifetime(0)]), from: alice)
        }
        #expect(relay.quotas.total == 0)
        #expect(relay.processor.reservations.count == 0)
    }
}
