import GatewayAPI
import STUNWire
import TURNAuth
import TURNCore
import TURNServer

/// The gateway's view of this node's relay: lists and ends allocations, drains.
struct RelayAdministration: RelayControl {
    let server: TURNServerService
    /// The cluster's nodes, when Redis is configured.
    let nodes: ClusterNodes?
    /// What `/readyz` answers.
    let readinessCheck: NodeReadiness

    func allocations(matching filter: AllocationFilter) async -> [AllocationSnapshot] {
        await self.server.allocations()
            .filter { Self.matches(filter, username: $0.username, grant: $0.grant) }
            .map { summary in
                AllocationSnapshot(
                    username: summary.username,
                    user: summary.grant.user,
                    room: summary.grant.room,
                    client: Self.text(summary.fiveTuple.client),
                    relayed: Self.text(summary.relayedAddress),
                    transport: summary.fiveTuple.transport == .tcp ? "tcp" : "udp",
                    expiresInSeconds: Int(summary.remaining.components.seconds),
                    bandwidthKbps: summary.bandwidthBytesPerSecond.map { $0 * 8 / 1000 }
                )
            }
    }

    func endAllocations(matching filter: AllocationFilter) async -> Int {
        guard !filter.isEmpty else { return 0 }
        return await self.server.endAllocations { username, grant in Self.matches(filter, username: username, grant: grant) }
    }

    func drain() async {
        self.server.drain()
    }

    func preferredURIs() async -> [String]? {
        self.nodes?.leastLoadedURIs()
    }

    func readiness() async -> RelayReadiness {
        self.readinessCheck.current()
    }

    private static func matches(_ filter: AllocationFilter, username: String, grant: CredentialGrant) -> Bool {
        (filter.user.map { $0 == grant.user } ?? true)
            && (filter.room.map { $0 == grant.room } ?? true)
            && (filter.username.map { $0 == username } ?? true)
    }

    private static func text(_ address: STUNTransportAddress) -> String {
        address.address.family == .ipv6 ? "[\(address.address)]:\(address.port)" : "\(address.address):\(address.port)"
    }
}
