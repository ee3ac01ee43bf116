package import STUNWire

/// A credential the relay's cache lacks, which the store behind it (Redis) may hold: what to
/// look up once before a 401 is final.
package enum CredentialMiss: Hashable, Sendable, CustomStringConvertible {
    /// A user the cache does not know, or whose key did not verify the MAC (its password may
    /// have changed).
    case user(String)
    /// A REST user name whose MAC no known shared secret verifies (a secret may have been added).
    case sharedSecrets

    package var description: String {
        switch self {
        case .user: "user"
        case .sharedSecrets: "shared secrets"
        }
    }
}

extension LongTermAuthenticator {
    /// What a request refused with `reason` may be missing from the cache, or nil when a lookup
    /// cannot change the answer (a malformed request, a stale nonce, an expired REST name, a
    /// USERHASH, whose name the store behind cannot be asked for).
    ///
    /// - Parameters:
    ///   - request: the refused request.
    ///   - reason: why ``authenticate(_:client:now:enforceExpiry:)`` refused it.
    package func credentialMiss(in request: STUNMessage, reason: AuthFailureReason) -> CredentialMiss? {
        guard reason == .unknownUser || reason == .badMAC,
            let fields = LongTermRequestFields.read(request),
            case .username(let name) = fields.identity
        else { return nil }
        if RESTCredential.parse(username: name, separator: self.store.restSeparator) != nil {
            return .sharedSecrets
        }
        return .user(name)
    }
}
