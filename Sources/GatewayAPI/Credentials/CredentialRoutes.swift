import Foundation
import Hummingbird

/// `POST /v1/turn/credentials` and `GET /?service=turn`: rate limits, token check, minting.
///
/// Each request reads the settings in force once, when it starts. The client's limit (IPv6
/// clients by their /64) is applied before the token is looked at, the user's after; with rate
/// limiting on, every answer, errors and 503 `timeout` included, carries the rate-limit headers.
struct CredentialRoutes: Sendable {
    let core: GatewayCore

    func register(on router: Router<GatewayRequestContext>) {
        let routes = router.group().add(middleware: NoStoreMiddleware())
        routes.post(RouterPath(GatewayRoutes.credentials)) { request, context in
            try await self.limited(request, context) { settings, token, now in
                let body = try await BodyLimit.collect(request)
                let asked = try CredentialRequest(body: body)
                let minted = try self.mint(settings, token, room: asked.roomId, ttl: asked.ttl, now: now, client: context.clientLabel)
                let uris = await self.core.relay.preferredURIs() ?? settings.configuration.turnURIs
                return JSONResponse.make(status: .ok, body: CredentialResponse(minted, uris: uris))
            }
        }
        routes.get(RouterPath(GatewayRoutes.restAPI)) { request, context in
            try await self.limited(request, context) { settings, token, now in
                let query = request.uri.queryParameters
                guard query.get("service") == "turn" else { throw GatewayError.badRequest }
                if let username = query.get("username"), username != token.user { throw GatewayError.usernameMismatch }
                let minted = try self.mint(settings, token, room: nil, ttl: nil, now: now, client: context.clientLabel)
                let uris = await self.core.relay.preferredURIs() ?? settings.configuration.turnURIs
                let body = RESTAPIResponse(
                    username: minted.credential.username, password: minted.credential.password, ttl: minted.ttl, uris: uris)
                return JSONResponse.make(status: .ok, body: body)
            }
        }
    }

    private func mint(
        _ settings: GatewaySettings, _ token: VerifiedToken, room: String?, ttl: Int?, now: Date, client: String
    ) throws(GatewayError) -> MintedCredential {
        do {
            let minted = try settings.minter.mint(for: token, room: room, ttl: ttl, now: now, revocations: self.core.revocations)
            self.core.metrics.credentialIssued()
            return minted
        } catch {
            if error == .revoked { self.core.security.event(.revoked, reason: "revoked", client: client) }
            throw error
        }
    }

    /// Runs `issue` after both rate limits and the token check, all within the request time limit.
    private func limited(
        _ request: Request, _ context: GatewayRequestContext,
        _ issue: @escaping @Sendable (GatewaySettings, VerifiedToken, Date) async throws -> Response
    ) async throws -> Response {
        let core = self.core
        let settings = core.settings
        let now = core.clock.now()
        let client = context.clientLabel
        let byIP = settings.limiters?.ip.acquire(context.rateLimitKey, now: now)
        let ipFields = RateLimitHeaders.fields(byIP.map { [$0] } ?? [])
        do throws(GatewayError) {
            try Self.enforce(byIP, scope: .ip, core: core, client: client)
        } catch {
            throw error.adding(ipFields)
        }
        do {
            return try await TimeLimit.run(settings.configuration.requestTimeLimit) {
                var decisions = byIP.map { [$0] } ?? []
                do {
                    let token: VerifiedToken
                    do throws(TokenRejection) {
                        token = try await settings.verifier.verify(authorization: request.headers[.authorization], now: now)
                    } catch {
                        core.metrics.tokenRejected(error)
                        core.security.event(.tokenRejected, reason: error.code, client: client)
                        throw error.gatewayError
                    }
                    let byUser = settings.limiters?.user.acquire(token.user, now: now)
                    if let byUser { decisions.append(byUser) }
                    try Self.enforce(byUser, scope: .user, core: core, client: client)
                    var response = try await issue(settings, token, now)
                    response.headers.append(contentsOf: RateLimitHeaders.fields(decisions))
                    return response
                } catch let error as GatewayError {
                    throw error.adding(RateLimitHeaders.fields(decisions))
                }
            }
        } catch let error as GatewayError where error == .timeout {
            throw error.adding(ipFields)
        }
    }

    private static func enforce(
        _ decision: RateLimiter.Decision?, scope: GatewayMetrics.RateLimitScope, core: GatewayCore, client: String
    ) throws(GatewayError) {
        guard let decision, !decision.allowed else { return }
        core.metrics.rateLimited(scope)
        core.security.event(.rateLimited, reason: scope.rawValue, client: client)
        throw .rateLimited(retryAfterSeconds: decision.retryAfterSeconds ?? 1)
    }
}
