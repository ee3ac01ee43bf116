import Foundation
import TURNAuth

/// A credential minted for a verified token.
struct MintedCredential: Sendable {
    var credential: RESTCredential
    var grant: CredentialGrant
    var bandwidthClass: BandwidthClass?
    var ttl: Int
    var expiresAt: Date
    var refreshAfter: Date
}

/// Decides what a verified token may have and mints it: the room, the bandwidth class, the
/// lifetime, and the revocation check, with no I/O.
struct CredentialMinter: Sendable {
    var secret: String
    var separator: Character
    var ttl: Int
    var classes: [BandwidthClass]

    /// Share of the lifetime after which clients should fetch a new credential.
    static let refreshFraction = 0.8

    /// The longest minted user name, in UTF-8 bytes: RFC 8489 Section 14.3 allows 513, and a
    /// few bytes are left for clients that count a terminator or SASLprep expansion.
    static let maximumUsernameBytes = 509

    /// Mints a credential for `token`, asking for `room` and `ttl`, at `now`.
    ///
    /// The lifetime is `credential-ttl` (or the shorter `ttl` asked for), independent of the
    /// token's `exp`: a short-lived token can fetch a credential that outlives it.
    ///
    /// - Throws: 403 `room_not_allowed` when `room` differs from the token's room,
    ///   `no_media_permission` when the token's permissions name no class, `revoked` when the
    ///   user, room or user name is in `revocations`; 400 `bad_request` when the user name would
    ///   exceed ``maximumUsernameBytes``, 400 `control_character` when the token's user or the
    ///   room holds a control character (``CredentialGrant/hasControlCharacters``: such a name
    ///   could forge lines in a text log).
    func mint(
        for token: VerifiedToken, room requestedRoom: String?, ttl requestedTTL: Int?, now: Date, revocations: RevocationList
    ) throws(GatewayError) -> MintedCredential {
        if let requestedRoom, let tokenRoom = token.room, requestedRoom != tokenRoom { throw .roomNotAllowed }
        let bandwidthClass = try self.bandwidthClass(for: token.permissions)
        let grant = CredentialGrant(user: token.user, room: requestedRoom ?? token.room, bandwidthKbps: bandwidthClass?.kbps)
        guard !grant.hasControlCharacters else { throw .controlCharacter }
        let ttl = min(self.ttl, requestedTTL ?? self.ttl)
        let issued = now.timeIntervalSince1970.rounded(.down)
        let expiresAt = Date(timeIntervalSince1970: issued + TimeInterval(ttl))
        let credential = RESTCredential(grant: grant, expiry: expiresAt, secret: self.secret, separator: self.separator)
        guard credential.username.utf8.count <= Self.maximumUsernameBytes else { throw .usernameTooLong }
        guard !revocations.isRevoked(username: credential.username, grant: grant, now: now) else { throw .revoked }
        let refreshAfter = Date(timeIntervalSince1970: issued + (TimeInterval(ttl) * Self.refreshFraction).rounded(.down))
        return MintedCredential(
            credential: credential, grant: grant, bandwidthClass: bandwidthClass, ttl: ttl, expiresAt: expiresAt,
            refreshAfter: refreshAfter)
    }

    /// The largest configured class among `permissions`; nil without a `permissions` claim.
    func bandwidthClass(for permissions: [String]?) throws(GatewayError) -> BandwidthClass? {
        guard let permissions else { return nil }
        let granted = Set(permissions)
        var best: BandwidthClass?
        for candidate in self.classes where granted.contains(candidate.name) {
            if best.map({ candidate.kbps > $0.kbps }) ?? true { best = candidate }
        }
        guard let best else { throw .noMediaPermission }
        return best
    }
}
