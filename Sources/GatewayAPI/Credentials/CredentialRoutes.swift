import Foundation
import Hummingbird

/// `POST /v1/turn/credentials` and `GET /?service=turn`: rate limits, token check, minting.
///
/// The client IP's limit is applied before the token is looked at, the user's after; every
/// answer, errors included, carries the rate-limit headers.
struct CredentialRoutes: Sendable {
    let core: GatewayCore

    func register(on router: Router<GatewayRequestContext>) {
        router.post(RouterPath(GatewayRoutes.credentials)) { request, context in
            try await self.limited(request, context) { token, now in
                let body = try await BodyLimit.collect(request)
                let asked = try CredentialRequest(body: body)
                let minted = try self.mint(token, room: asked.roomId, ttl: asked.ttl, now: now, client: context.clientLabel)
                return JSONResponse.make(status: .ok, body: CredentialResponse(minted, uris: self.core.configuration.turnURIs))
            }
        }
        router.get(RouterPath(GatewayRoutes.restAPI)) { request, context in
            try await self.limited(request, context) { token, now in
                let query = request.uri.queryParameters
                guard query.get("service") == "turn" else { throw GatewayError.badRequest }
                if let username = query.get("username"), username != token.user { throw GatewayError.usernameMismatch }
                let minted = try self.mint(token, room: nil, ttl: nil, now: now, client: context.clientLabel)
                let body = RESTAPIResponse(
                    username: minted.credential.username, password: minted.credential.password, ttl: minted.ttl,
                    uris: self.core.configuration.turnURIs)
                return JSONResponse.make(status: .ok, body: body)
            }
        }
    }

    private func mint(_ token: VerifiedToken, room: String?, ttl: Int?, now: Date, client: String) throws(GatewayError)
        -> MintedCredential
    {
        do {
            let minted = try self.core.minter.mint(for: token, room: room, ttl: ttl, now: now)
            self.core.metrics.credentialIssued()
            return minted
        } catch {
            if error == .revoked { self.core.security.event(.revoked, reason: "revoked", client: client) }
            throw error
        }
    }

    /// Runs `issue` within the request time limit, after both rate limits and the token check.
    private func limited(
        _ request: Request, _ context: GatewayRequestContext,
        _ issue: @escaping @Sendable (VerifiedToken, Date) async throws -> Response
    ) async throws -> Response {
        let core = self.core
        return try await TimeLimit.run(core.configuration.requestTimeLimit) {
            let now = core.clock.now()
            let client = context.clientLabel
            let byIP = core.ipLimiter.acquire(client, now: now)
            var decisions = [byIP]
            do {
                try Self.enforce(byIP, scope: .ip, core: core, client: client)
                let token: VerifiedToken
                do throws(TokenRejection) {
                    token = try await core.verifier.verify(authorization: request.headers[.authorization], now: now)
                } catch {
                    core.metrics.tokenRejected(error)
                    core.security.event(.tokenRejected, reason: error.code, client: client)
                    throw error.gatewayError
                }
                let byUser = core.userLimiter.acquire(token.user, now: now)
                decisions.append(byUser)
                try Self.enforce(byUser, scope: .user, core: core, client: client)
                var response = try await issue(token, now)
                response.headers.append(contentsOf: RateLimitHeaders.fields(decisions))
                return response
            } catch let error as GatewayError {
                throw error.adding(RateLimitHeaders.fields(decisions))
            }
        }
    }

    private static func enforce(
        _ decision: RateLimiter.Decision, scope: GatewayMetrics.RateLimitScope, core: GatewayCore, client: String
    ) throws(GatewayError) {
        guard !decision.allowed else { return }
        core.metrics.rateLimited(scope)
        core.security.event(.rateLimited, reason: scope.rawValue, client: client)
        throw .rateLimited(retryAfterSeconds: decision.retryAfterSeconds ?? 1)
    }
}
