import STUNWire
import TURNAuth

extension TURNRequestProcessor {
    /// Takes `slots` quota slots for `user` (two for an Allocate whose EVEN-PORT R bit
    /// reserves a second port), all or none.
    ///
    /// RFC 8656 Section 7.2: over the user's (or room's) quota the answer is 486; over the
    /// server's, 508.
    ///
    /// - Returns: the refusal to answer with, or nil when the slots are held.
    func reserveQuota(for user: AuthenticatedUser, slots: Int, request: STUNMessage) -> TURNAction? {
        for taken in 0..<slots {
            guard
                let refusal = self.quotas.reserve(
                    user: user.user, room: user.grant.room, userQuota: self.configuration.userQuota,
                    roomQuota: self.configuration.roomQuota, totalQuota: self.configuration.totalQuota)
            else { continue }
            for _ in 0..<taken {
                self.quotas.release(user: user.user, room: user.grant.room)
            }
            switch refusal {
            case .userQuota:
                return self.error(.allocationQuotaReached, to: request, user: user, refusal: .userQuota)
            case .roomQuota:
                return self.error(.allocationQuotaReached, to: request, user: user, refusal: .roomQuota)
            case .totalQuota:
                return self.error(.insufficientCapacity, to: request, user: user, refusal: .serverCapacity)
            }
        }
        return nil
    }

    /// Returns the quota slots an Allocate waiting for its relay socket holds.
    func releaseQuota(of pending: PendingAllocation) {
        self.quotas.release(user: pending.user.user, room: pending.user.grant.room)
        if pending.reservesNextPort {
            self.quotas.release(user: pending.user.user, room: pending.user.grant.room)
        }
    }
}
