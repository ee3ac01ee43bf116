import Foundation
import Hummingbird
import TURNAuth

/// The admin API of docs/gateway.md: allocations, revocations and drain, behind the admin token.
struct AdminRoutes: Sendable {
    let core: GatewayCore

    private struct AllocationList: Encodable { var allocations: [AllocationSnapshot] }
    private struct Ended: Encodable { var ended: Int }
    private struct Revoked: Encodable {
        var revoked: Revocation
        var ended: Int
    }
    private struct RevocationListing: Encodable { var revocations: [Revocation] }
    private struct Lifted: Encodable { var lifted: Int }
    private struct Draining: Encodable { var draining: Bool }

    func register(on router: Router<GatewayRequestContext>, tokenDigest: [UInt8]) {
        let admin = router.group().add(middleware: AdminAuthMiddleware(expectedDigest: tokenDigest, security: self.core.security))
        admin.get(RouterPath(GatewayRoutes.adminAllocations)) { request, _ in
            let filter = Self.filter(request)
            return JSONResponse.make(status: .ok, body: AllocationList(allocations: await self.core.relay.allocations(matching: filter)))
        }
        admin.delete(RouterPath(GatewayRoutes.adminAllocations)) { request, context in
            let filter = Self.filter(request)
            guard !filter.isEmpty else { throw GatewayError.badRequest }
            let ended = await self.core.relay.endAllocations(matching: filter)
            self.core.security.event(.allocationsEnded, reason: "admin", client: context.clientLabel)
            return JSONResponse.make(status: .ok, body: Ended(ended: ended))
        }
        admin.post(RouterPath(GatewayRoutes.adminRevocations)) { request, context in
            try await self.revoke(request, context)
        }
        admin.get(RouterPath(GatewayRoutes.adminRevocations)) { _, _ in
            JSONResponse.make(status: .ok, body: RevocationListing(revocations: self.core.revocations.current(now: self.core.clock.now())))
        }
        admin.delete(RouterPath(GatewayRoutes.adminRevocations)) { request, context in
            let query = request.uri.queryParameters
            guard let subject = AdminSubject.subject(user: query.get("user"), room: query.get("room"), username: query.get("username"))
            else { throw GatewayError.badRequest }
            let lifted = self.core.revocations.lift(subject)
            self.core.security.event(.revocationLifted, reason: AdminSubject.label(subject), client: context.clientLabel)
            return JSONResponse.make(status: .ok, body: Lifted(lifted: lifted ? 1 : 0))
        }
        admin.post(RouterPath(GatewayRoutes.adminDrain)) { _, context in
            await self.core.relay.drain()
            self.core.security.event(.drain, reason: "admin", client: context.clientLabel)
            return JSONResponse.make(status: .accepted, body: Draining(draining: true))
        }
    }

    /// Adds a revocation to the shared list, then ends the live allocations it names.
    private func revoke(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let asked = try RevocationRequest(body: try await BodyLimit.collect(request))
        guard let subject = AdminSubject.subject(user: asked.user, room: asked.room, username: asked.username) else {
            throw GatewayError.badRequest
        }
        let now = self.core.clock.now()
        let seconds = asked.seconds ?? self.core.configuration.credentialTTL
        let revocation = Revocation(subject: subject, until: now.addingTimeInterval(TimeInterval(seconds)))
        self.core.revocations.revoke(revocation, now: now)
        let ended = await self.core.relay.endAllocations(matching: AdminSubject.filter(subject))
        self.core.metrics.revocation(subject: AdminSubject.label(subject))
        self.core.security.event(.revocation, reason: AdminSubject.label(subject), client: context.clientLabel)
        return JSONResponse.make(status: .created, body: Revoked(revoked: revocation, ended: ended))
    }

    private static func filter(_ request: Request) -> AllocationFilter {
        let query = request.uri.queryParameters
        return AllocationFilter(user: query.get("user"), room: query.get("room"), username: query.get("username"))
    }
}
