import Foundation

/// The claim rules of docs/gateway.md: `exp` required; `nbf`, `iat` with leeway; issuer,
/// audience, maximum lifetime (from `iat`, or from now without it), required claims; the user,
/// room and permissions, which fail closed when present with another type.
struct ClaimPolicy: Sendable {
    var issuers: Set<String>
    var audiences: Set<String>
    var leeway: TimeInterval
    var maxLifetime: TimeInterval
    var requiredClaims: [RequiredClaim]
    var userClaim: String

    init(_ settings: JWTSettings) {
        self.issuers = Set(settings.issuers)
        self.audiences = Set(settings.audiences)
        self.leeway = TimeInterval(settings.leewaySeconds)
        self.maxLifetime = TimeInterval(settings.maxLifetimeSeconds)
        self.requiredClaims = settings.requiredClaims
        self.userClaim = settings.userClaim
    }

    /// Checks the claims of a token whose signature has verified, at `now`.
    func check(_ claims: [String: ClaimValue], now: Date) throws(TokenRejection) -> VerifiedToken {
        let now = now.timeIntervalSince1970
        guard let expiryClaim = claims["exp"] else { throw .missingClaim }
        guard let expiry = expiryClaim.number else { throw .malformedToken }
        guard expiry + self.leeway > now else { throw .expired }
        if let notBefore = claims["nbf"] {
            guard let value = notBefore.number else { throw .malformedToken }
            guard value - self.leeway <= now else { throw .notYetValid }
        }
        var issuedAt: Double?
        if let issued = claims["iat"] {
            guard let value = issued.number else { throw .malformedToken }
            guard value - self.leeway <= now else { throw .issuedInFuture }
            issuedAt = value
        }
        if !self.issuers.isEmpty {
            guard case .string(let issuer)? = claims["iss"], self.issuers.contains(issuer) else { throw .wrongIssuer }
        }
        if !self.audiences.isEmpty {
            guard let audiences = claims["aud"]?.strings, audiences.contains(where: self.audiences.contains) else {
                throw .wrongAudience
            }
        }
        guard expiry - (issuedAt ?? now) <= self.maxLifetime else { throw .lifetimeTooLong }
        for required in self.requiredClaims {
            guard let value = claims[required.name], Self.satisfies(value, required.value) else { throw .missingClaim }
        }
        guard let user = (claims[self.userClaim] ?? claims["userId"])?.text, !user.isEmpty else { throw .noUser }
        guard user.utf8.count <= Self.maximumNameBytes else { throw .malformedToken }
        var room: String?
        if let roomClaim = claims["roomId"] {
            guard let text = roomClaim.text, text.utf8.count <= Self.maximumNameBytes else { throw .malformedToken }
            room = text
        }
        var permissions: [String]?
        if let permissionsClaim = claims["permissions"] {
            guard let names = permissionsClaim.strictStrings else { throw .malformedToken }
            permissions = names
        }
        return VerifiedToken(user: user, room: room, permissions: permissions, expiresAt: Date(timeIntervalSince1970: expiry))
    }

    /// The longest user or room accepted, in UTF-8 bytes.
    static let maximumNameBytes = 128

    private static func satisfies(_ value: ClaimValue, _ required: String) -> Bool {
        switch value {
        case .string(let text): text == required
        case .array(let values): values.contains(.string(required))
        case .bool(let flag): String(flag) == required
        default: value.text == required
        }
    }
}
