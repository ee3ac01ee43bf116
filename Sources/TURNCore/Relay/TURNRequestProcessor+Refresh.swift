import STUNWire
import TURNAuth

extension TURNRequestProcessor {
    /// Refresh, RFC 8656 Section 8.2: a new lifetime, or deletion with LIFETIME 0.
    mutating func handleRefresh(
        _ request: STUNMessage,
        on fiveTuple: FiveTuple,
        user: AuthenticatedUser,
        now: ContinuousClock.Instant
    ) -> [TURNAction] {
        guard var record = self.records[fiveTuple] else { return [self.error(.allocationMismatch, to: request, user: user)] }
        let requested: UInt32?
        do {
            requested = try request.attribute(Lifetime.self)?.rawValue
            if let family = try request.attribute(RequestedAddressFamily.self)?.family,
                family != record.allocation.relayedAddress.address.family
            {
                return [self.error(.peerAddressFamilyMismatch, to: request, user: user)]
            }
        } catch {
            return [self.error(.badRequest, reason: "Malformed attribute", to: request, user: user)]
        }
        if requested == 0 {
            self.removeAllocation(fiveTuple)
            let lifetime = STUNAttribute(Lifetime(0), transactionID: request.transactionID)
            return [self.success(to: request, user: user, attributes: [lifetime]), .closeRelay(fiveTuple)]
        }
        let granted = self.configuration.grantedLifetime(requested: requested)
        record.allocation.refresh(until: now + granted)
        self.records[fiveTuple] = record
        let lifetime = STUNAttribute(Lifetime(UInt32(clamping: granted.components.seconds)), transactionID: request.transactionID)
        return [self.success(to: request, user: user, attributes: [lifetime])]
    }

    /// Deletes an allocation and returns its quota slot.
    mutating func removeAllocation(_ fiveTuple: FiveTuple) {
        guard let record = self.records.removeValue(forKey: fiveTuple) else { return }
        self.quotas.release(user: record.allocation.quotaUser)
    }
}
