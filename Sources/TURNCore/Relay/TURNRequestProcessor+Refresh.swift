import Foundation
import STUNWire
import TURNAuth

extension TURNRequestProcessor {
    /// Refresh, RFC 8656 Section 8.2: a new lifetime, or deletion with LIFETIME 0.
    mutating func handleRefresh(
        _ request: STUNMessage,
        on fiveTuple: FiveTuple,
        user: AuthenticatedUser,
        now: ContinuousClock.Instant,
        date: Date
    ) -> [TURNAction] {
        guard var record = self.records[fiveTuple] else { return [self.error(.allocationMismatch, to: request, user: user)] }
        let requested: UInt32?
        do {
            requested = try request.attribute(Lifetime.self)?.rawValue
            if let family = try request.attribute(RequestedAddressFamily.self)?.family,
                !record.allocation.relays(family)
            {
                return [self.error(.peerAddressFamilyMismatch, to: request, user: user)]
            }
        } catch {
            return [self.error(.badRequest, reason: "Malformed attribute", to: request, user: user)]
        }
        if requested == 0 {
            let close = self.removeAllocation(fiveTuple)
            let lifetime = STUNAttribute(Lifetime(0), transactionID: request.transactionID)
            return [self.success(to: request, user: user, attributes: [lifetime])] + (close.map { [$0] } ?? [])
        }
        let granted = self.limitedByCredential(self.configuration.grantedLifetime(requested: requested), user: user, date: date)
        record.allocation.refresh(until: now + granted)
        self.records[fiveTuple] = record
        let lifetime = STUNAttribute(Lifetime(UInt32(clamping: granted.components.seconds)), transactionID: request.transactionID)
        return [self.success(to: request, user: user, attributes: [lifetime])]
    }

    /// Deletes the 5-tuple's allocation if it has expired and ``expire(now:)`` has not swept it yet.
    ///
    /// RFC 8656 Section 7.2: an expired allocation no longer exists, so it must neither make a
    /// new Allocate on its 5-tuple fail with 437 nor hold its user's quota slot.
    ///
    /// - Returns: a ``TURNAction/closeRelay(_:endpoint:)`` for the deleted allocation, or nothing.
    mutating func removeExpiredAllocation(_ fiveTuple: FiveTuple, now: ContinuousClock.Instant) -> [TURNAction] {
        guard self.records[fiveTuple]?.allocation.isExpired(at: now) == true, let close = self.removeAllocation(fiveTuple) else { return [] }
        return [close]
    }

    /// Deletes an allocation and returns its quota slot, and its EVEN-PORT reservation's when
    /// that was not claimed (the transport closes the reserved socket with the relay socket).
    ///
    /// - Returns: the ``TURNAction/closeRelay(_:endpoint:)`` that hands the transport its
    ///   endpoint back, or nil when the 5-tuple has no allocation.
    mutating func removeAllocation(_ fiveTuple: FiveTuple) -> TURNAction? {
        guard let record = self.records.removeValue(forKey: fiveTuple) else { return nil }
        self.quotas.release(user: record.allocation.quotaUser, room: record.user.grant.room)
        if let token = record.reservationToken, let reservation = self.reservations.remove(token) {
            self.quotas.release(user: reservation.user, room: reservation.room)
        }
        self.relayedAddresses.remove(record.allocation, transport: record.tcp == nil ? .udp : .tcp)
        self.forgetTCPConnections(of: record)
        return .closeRelay(fiveTuple, endpoint: record.endpoint.map(EndpointReference.init))
    }
}

extension TURNRequestProcessor {
    /// Deletes the allocation of `fiveTuple`, or forgets its pending Allocate, because the
    /// client's connection is gone (RFC 8656 Section 3.1: a TCP allocation dies with its
    /// connection).
    ///
    /// - Returns: ``TURNAction/closeRelay(_:endpoint:)`` when there was an allocation.
    public mutating func remove(_ fiveTuple: FiveTuple) -> [TURNAction] {
        if let pending = self.pending.removeValue(forKey: fiveTuple) {
            self.releaseQuota(of: pending)
        }
        return self.removeAllocation(fiveTuple).map { [$0] } ?? []
    }
}
