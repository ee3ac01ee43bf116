package import Foundation
package import NIOCore
package import TURNAuth

/// The credential endpoint's work on request-controlled input, without HTTP: the bearer token
/// (``TokenVerifier`` and the claim rules), the JSON body (``CredentialRequest``) and minting
/// (``CredentialMinter``), in the order `POST /v1/turn/credentials` runs them. Rate limits,
/// the relay's URIs and the metrics stay with the route.
///
/// For driving those parsers with any input outside a server: the gateway's fuzz target and
/// tests. Only the configuration's `jwt-secret` keys are loaded (public-key files and a JWKS
/// URL are left out), so nothing here reads a file or the network.
package struct CredentialExchange: Sendable {
    private let verifier: TokenVerifier
    private let minter: CredentialMinter
    private let revocations: RevocationList

    /// Loads the HMAC keys, claim rules, REST secret, lifetime and bandwidth classes of
    /// `configuration`; `revocations` are checked at minting.
    package init(configuration: GatewayConfiguration, revocations: RevocationList = RevocationList()) async {
        let jwt = configuration.jwt
        self.verifier = TokenVerifier(localKeys: await KeyLoader.hmacKeys(jwt.hmacSecrets), remote: nil, policy: ClaimPolicy(jwt))
        self.minter = CredentialMinter(
            secret: configuration.restSecret.text, separator: configuration.restSeparator, ttl: configuration.credentialTTL,
            classes: configuration.bandwidthClasses)
        self.revocations = revocations
    }

    /// The credential the endpoint mints for this `Authorization` value and body at `now`.
    ///
    /// - Throws: the ``GatewayError`` the endpoint answers: a token rejection (401), a
    ///   malformed body (400 `bad_request`), a user or room with a control character (400
    ///   `control_character`), or a refusal to mint (403).
    package func exchange(authorization: String?, body: ByteBuffer, now: Date) async throws(GatewayError) -> RESTCredential {
        let token: VerifiedToken
        do throws(TokenRejection) {
            token = try await self.verifier.verify(authorization: authorization, now: now)
        } catch {
            throw error.gatewayError
        }
        let asked = try CredentialRequest(body: body)
        return try self.minter.mint(for: token, room: asked.roomId, ttl: asked.ttl, now: now, revocations: self.revocations).credential
    }
}
