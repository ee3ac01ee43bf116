import Foundation
import Hummingbird
import TURNAuth

/// The admin API of docs/gateway.md: allocations, revocations and drain, behind the admin
/// token, each request within the request time limit and answered `Cache-Control: no-store`.
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

    func register(on router: Router<GatewayRequestContext>) {
        let admin = router.group().add(middleware: NoStoreMiddleware()).add(middleware: AdminAuthMiddleware(core: self.core))
        let core = self.core
        admin.get(RouterPath(GatewayRoutes.adminAllocations)) { request, _ in
            try await self.timed {
                let filter = Self.filter(request)
                return JSONResponse.make(status: .ok, body: AllocationList(allocations: await core.relay.allocations(matching: filter)))
            }
        }
        admin.delete(RouterPath(GatewayRoutes.adminAllocations)) { request, context in
            try await self.timed {
                let filter = Self.filter(request)
                guard !filter.isEmpty else { throw GatewayError.badRequest }
                let ended = await core.relay.endAllocations(matching: filter)
                core.security.event(.allocationsEnded, reason: "admin", client: context.clientLabel)
                return JSONResponse.make(status: .ok, body: Ended(ended: ended))
            }
        }
        admin.post(RouterPath(GatewayRoutes.adminRevocations)) { request, context in
            try await self.timed { try await self.revoke(request, context) }
        }
        admin.get(RouterPath(GatewayRoutes.adminRevocations)) { _, _ in
            JSONResponse.make(status: .ok, body: RevocationListing(revocations: core.revocations.current(now: core.clock.now())))
        }
        admin.delete(RouterPath(GatewayRoutes.adminRevocations)) { request, context in
            guard let subject = AdminSubject.subject(request) else { throw GatewayError.badRequest }
            let lifted = core.revocations.lift(subject)
            core.security.event(.revocationLifted, reason: AdminSubject.label(subject), client: context.clientLabel)
            return JSONResponse.make(status: .ok, body: Lifted(lifted: lifted ? 1 : 0))
        }
        admin.post(RouterPath(GatewayRoutes.adminDrain)) { _, context in
            try await self.timed {
                await core.relay.drain()
                core.security.event(.drain, reason: "admin", client: context.clientLabel)
                return JSONResponse.make(status: .accepted, body: Draining(draining: true))
            }
        }
    }

    /// Runs `work` within the request time limit in force.
    private func timed(_ work: @escaping @Sendable () async throws -> Response) async throws -> Response {
        try await TimeLimit.run(self.core.settings.configuration.requestTimeLimit, work)
    }

    /// Adds a revocation to the shared list, then ends the live allocations it names.
    private func revoke(_ request: Request, _ context: GatewayRequestContext) async throws -> Response {
        let asked = try RevocationRequest(body: try await BodyLimit.collect(request))
        guard let subject = AdminSubject.subject(user: asked.user, room: asked.room, username: asked.username) else {
            throw GatewayError.badRequest
        }
        let now = self.core.clock.now()
        let seconds = asked.seconds ?? self.core.settings.configuration.credentialTTL
        let revocation = Revocation(subject: subject, until: now.addingTimeInterval(TimeInterval(seconds)))
        self.core.revocations.revoke(revocation, now: now)
        let ended = await self.core.relay.endAllocations(matching: AdminSubject.filter(subject))
        let label = AdminSubject.label(subject)
        self.core.metrics.revocation(subject: label)
        self.core.security.event(.revocation, reason: label, client: context.clientLabel)
        return JSONResponse.make(status: .created, body: Revoked(revoked: revocation, ended: ended))
    }

    private static func filter(_ request: Request) -> AllocationFilter {
        let query = request.uri.queryParameters
        return AllocationFilter(user: query.get("user"), room: query.get("room"), username: query.get("username"))
    }
}
