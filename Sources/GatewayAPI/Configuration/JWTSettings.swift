public import Foundation
public import TURNAuth

/// How the gateway verifies tokens (the `jwt-*` keys of docs/gateway.md).
public struct JWTSettings: Sendable {
    /// HMAC keys for HS256/HS384/HS512 (`jwt-secret`, repeatable for rotation).
    public var hmacSecrets: [CredentialSecret]
    /// PEM public keys (RSA, EC P-256/P-384, Ed25519) for RS*/PS*/ES*/EdDSA (`jwt-public-key-file`).
    public var publicKeyFiles: [String]
    /// A JWKS file (`jwt-jwks-file`).
    public var jwksFile: String?
    /// A JWKS URL, fetched at start and again, at most once per cool-down, for an unknown `kid`
    /// (`jwt-jwks-url`).
    public var jwksURL: URL?
    /// Accepted `iss` values; empty accepts any (`jwt-issuer`).
    public var issuers: [String]
    /// Accepted `aud` values; empty accepts any (`jwt-audience`).
    public var audiences: [String]
    /// Clock skew allowed for `exp`, `nbf` and `iat`, in seconds (`jwt-leeway`).
    public var leewaySeconds: Int
    /// Longest `exp - iat` accepted, in seconds (`jwt-max-lifetime`).
    public var maxLifetimeSeconds: Int
    /// Claims every token must carry (`jwt-required-claim`).
    public var requiredClaims: [RequiredClaim]
    /// The claim naming the user; `userId` is used when it is absent (`jwt-user-claim`).
    public var userClaim: String
    /// Shortest time between two fetches of ``jwksURL`` for unknown `kid`s, in seconds.
    public var jwksRefetchCooldownSeconds: Int

    /// Creates settings with the documented defaults for everything not given.
    public init(
        hmacSecrets: [CredentialSecret] = [],
        publicKeyFiles: [String] = [],
        jwksFile: String? = nil,
        jwksURL: URL? = nil,
        issuers: [String] = [],
        audiences: [String] = [],
        leewaySeconds: Int = 60,
        maxLifetimeSeconds: Int = 86_400,
        requiredClaims: [RequiredClaim] = [],
        userClaim: String = "sub",
        jwksRefetchCooldownSeconds: Int = 30
    ) {
        self.hmacSecrets = hmacSecrets
        self.publicKeyFiles = publicKeyFiles
        self.jwksFile = jwksFile
        self.jwksURL = jwksURL
        self.issuers = issuers
        self.audiences = audiences
        self.leewaySeconds = leewaySeconds
        self.maxLifetimeSeconds = maxLifetimeSeconds
        self.requiredClaims = requiredClaims
        self.userClaim = userClaim
        self.jwksRefetchCooldownSeconds = jwksRefetchCooldownSeconds
    }
}
