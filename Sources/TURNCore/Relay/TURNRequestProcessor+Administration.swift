public import Foundation
public import TURNAuth

extension TURNRequestProcessor {
    /// The live allocations, for the admin API.
    public func summaries(now: ContinuousClock.Instant) -> [AllocationSummary] {
        self.records.values.filter { !$0.allocation.isExpired(at: now) }.map { record in
            AllocationSummary(
                fiveTuple: record.allocation.fiveTuple,
                relayedAddress: self.configuration.advertised(record.allocation.relayedAddress),
                additionalRelayedAddress: record.allocation.additionalRelayedAddress.map(self.configuration.advertised),
                username: record.user.username,
                grant: record.user.grant,
                bandwidthBytesPerSecond: self.configuration.bandwidth(for: record.user.grant),
                remaining: record.allocation.expiresAt - now
            )
        }
    }

    /// Deletes every allocation whose credential `matches` (the admin API ends a user's or a
    /// room's allocations), returning their quota slots.
    ///
    /// - Returns: a ``TURNAction/closeRelay(_:endpoint:)`` per deleted allocation.
    public mutating func end(where matches: (_ username: String, _ grant: CredentialGrant) -> Bool) -> [TURNAction] {
        let ended = self.records.filter { matches($0.value.user.username, $0.value.user.grant) }.map(\.key)
        return ended.compactMap { self.removeAllocation($0) }
    }

    /// Deletes every allocation whose credential is revoked at `date`.
    public mutating func endRevoked(date: Date) -> [TURNAction] {
        let revocations = self.revocations
        return self.end { username, grant in revocations.isRevoked(username: username, grant: grant, now: date) }
    }
}
