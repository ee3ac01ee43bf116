import TURNAuth
import TURNRedis
import TURNServer

/// A user or secret the relay lacks is looked up in Redis once before the 401 is final, so a
/// user that `turnadmin` just added authenticates at once rather than after the next read.
extension RedisCredentialSync: CredentialMissResolver {
    /// How long a lookup may take before the request is answered without it.
    static let lookupLimit: Duration = .seconds(1)

    /// What a lookup found, for `turngate_redis_credential_lookups_total{outcome}`.
    enum LookupOutcome: String, CaseIterable {
        /// Redis had a credential the relay lacked; it is in force.
        case found
        /// Redis had nothing new.
        case absent
        /// Redis failed or did not answer within ``lookupLimit``.
        case failed
    }

    func admit(_ miss: CredentialMiss) -> Bool {
        self.missLimiter.withLock { $0.admit(miss, now: .now) }
    }

    func resolve(_ miss: CredentialMiss) async -> Bool {
        let outcome = await result(within: Self.lookupLimit) { await self.lookUp(miss) } ?? .failed
        self.metrics.credentialLookup(outcome)
        return outcome == .found
    }

    private func lookUp(_ miss: CredentialMiss) async -> LookupOutcome {
        let learned: Bool
        do {
            switch miss {
            case .user(let name):
                guard let stored = try await self.database.userCredential(user: name, realm: self.realm) else { return .absent }
                learned = self.learn(UserEntry(name: name, stored: stored))
            case .sharedSecrets:
                learned = self.learn(secrets: try await self.database.sharedSecrets(realm: self.realm))
            }
        } catch {
            self.logger.warning("cannot look up a credential in Redis", metadata: [
                "turn.event": "redis_credential_lookup_failed", "turn.lookup": "\(miss)", "turn.error": "\(error)",
            ])
            return .failed
        }
        guard learned else { return .absent }
        await self.server.replaceCredentials(self.store(with: self.base.withLock { $0 }))
        return .found
    }

    /// Adds or replaces `entry` among the known users; false when it was known as it is.
    private func learn(_ entry: UserEntry) -> Bool {
        let changed = self.known.withLock { known in
            if let index = known.users.firstIndex(where: { $0.name == entry.name }) {
                guard known.users[index].credential.fingerprint != entry.credential.fingerprint else { return false }
                known.users[index] = entry
            } else {
                known.users.append(entry)
            }
            return true
        }
        if changed { self.state.withLock { $0.lookups += 1 } }
        return changed
    }

    /// Replaces the known secrets with `secrets`; false when they were known already.
    private func learn(secrets: [String]) -> Bool {
        let changed = self.known.withLock { known in
            guard Set(known.secrets) != Set(secrets) else { return false }
            known.secrets = secrets
            return true
        }
        if changed { self.state.withLock { $0.lookups += 1 } }
        return changed
    }
}
