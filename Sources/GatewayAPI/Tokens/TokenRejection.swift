/// Why a bearer token was refused: one of the 401 codes of docs/gateway.md ("Errors").
///
/// Equal when the codes are. Each code's message is a fixed text that never contains the token.
package struct TokenRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// The error code, e.g. `expired`.
    package var code: String

    private init(_ code: String) { self.code = code }

    /// No `Authorization: Bearer` header.
    package static let missingToken = Self("missing_token")
    /// Not three base64url parts with a JSON header and payload.
    package static let malformedToken = Self("malformed_token")
    /// `alg: none`, or an algorithm no configured key has.
    package static let unsupportedAlgorithm = Self("unsupported_algorithm")
    /// The signature does not verify with any candidate key.
    package static let badSignature = Self("bad_signature")
    /// The `kid` names no known key, even after fetching the JWKS URL again.
    package static let unknownKey = Self("unknown_key")
    /// `exp` has passed (beyond the leeway).
    package static let expired = Self("expired")
    /// `nbf` is in the future (beyond the leeway).
    package static let notYetValid = Self("not_yet_valid")
    /// `iat` is in the future (beyond the leeway).
    package static let issuedInFuture = Self("issued_in_future")
    /// `iss` is not a configured issuer.
    package static let wrongIssuer = Self("wrong_issuer")
    /// No `aud` entry is a configured audience.
    package static let wrongAudience = Self("wrong_audience")
    /// `exp - iat` (or `exp - now` without `iat`) exceeds the maximum lifetime.
    package static let lifetimeTooLong = Self("lifetime_too_long")
    /// `exp` or a required claim is absent or has another value.
    package static let missingClaim = Self("missing_claim")
    /// Neither the user claim nor `userId` names a user.
    package static let noUser = Self("no_user")

    /// Every code, for metrics created up front.
    package static let all: [TokenRejection] = [
        .missingToken, .malformedToken, .unsupportedAlgorithm, .badSignature, .unknownKey, .expired, .notYetValid,
        .issuedInFuture, .wrongIssuer, .wrongAudience, .lifetimeTooLong, .missingClaim, .noUser,
    ]

    package var description: String { self.code }

    /// The message written in the error body.
    var message: String {
        switch self.code {
        case "missing_token": "an Authorization: Bearer token is required"
        case "malformed_token": "the token is not a well-formed JWT"
        case "unsupported_algorithm": "the token's algorithm is not accepted"
        case "bad_signature": "the token's signature does not verify"
        case "unknown_key": "the token's key id is not known"
        case "expired": "the token has expired"
        case "not_yet_valid": "the token is not valid yet"
        case "issued_in_future": "the token is issued in the future"
        case "wrong_issuer": "the token's issuer is not accepted"
        case "wrong_audience": "the token's audience is not accepted"
        case "lifetime_too_long": "the token's lifetime is too long"
        case "missing_claim": "the token lacks a required claim"
        default: "the token names no user"
        }
    }

    /// The 401 answer, with `WWW-Authenticate` as RFC 6750 Section 3 describes.
    var gatewayError: GatewayError {
        let challenge =
            self == .missingToken
            ? "Bearer realm=\"turngate\""
            : "Bearer error=\"invalid_token\", error_description=\"\(self.code)\""
        return GatewayError(code: self.code, status: .unauthorized, message: self.message, headers: [.wwwAuthenticate: challenge])
    }
}
