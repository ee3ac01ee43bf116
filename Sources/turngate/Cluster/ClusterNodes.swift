import Foundation
import Logging
import Synchronization
import TURNRedis
import TURNServer

/// The nodes of a cluster and their load, through Redis: each node publishes its allocation
/// count and `turn-uris` every few seconds under `turngate/nodes/<node>` (expiring, so a dead
/// node disappears), and reads the others', so its gateway can hand out the URIs of the
/// least-loaded healthy node.
final class ClusterNodes: Sendable {
    /// What one node publishes.
    struct NodeLoad: Codable, Hashable, Sendable {
        var node: String
        var allocations: Int
        var draining: Bool
        var uris: [String]
    }

    /// The key prefix of the published loads.
    static let keyPrefix = "turngate/nodes/"
    /// How often a node publishes and reads.
    static let interval: Duration = .seconds(2)
    /// How long a published load lives without being renewed.
    static let expirySeconds = 10

    private let client: RedisClient
    private let node: String
    private let uris: Mutex<[String]>
    private let server: TURNServerService
    private let logger: Logger
    private let known = Mutex([NodeLoad]())

    init(client: RedisClient, node: String, uris: [String], server: TURNServerService, logger: Logger) {
        self.client = client
        self.node = node
        self.uris = Mutex(uris)
        self.server = server
        self.logger = logger
    }

    /// This node's `turn-uris` changed (SIGHUP).
    func replaceURIs(_ uris: [String]) {
        self.uris.withLock { $0 = uris }
    }

    /// The URIs of the healthy node (not draining, with URIs) with the fewest allocations; nil
    /// when none is known.
    func leastLoadedURIs() -> [String]? {
        self.known.withLock { nodes in
            nodes.filter { !$0.draining && !$0.uris.isEmpty }.min { ($0.allocations, $0.node) < ($1.allocations, $1.node) }?.uris
        }
    }

    /// Publishes and reads until cancelled.
    func run() async {
        while !Task.isCancelled {
            do {
                try await self.publish()
                let loads = try await self.read()
                self.known.withLock { $0 = loads }
            } catch {
                self.logger.debug("node load not exchanged", metadata: ["turn.error": "\(error)"])
            }
            try? await Task.sleep(for: Self.interval)
        }
    }

    private func publish() async throws {
        let load = NodeLoad(
            node: self.node, allocations: self.server.allocationCount, draining: self.server.drainSwitch.isDraining,
            uris: self.uris.withLock { $0 })
        let text = String(decoding: try JSONEncoder().encode(load), as: UTF8.self)
        _ = try await self.client.command(["SET", Self.keyPrefix + self.node, text, "EX", String(Self.expirySeconds)])
    }

    private func read() async throws -> [NodeLoad] {
        var keys: [String] = []
        var cursor = "0"
        repeat {
            let reply = try await self.client.command(["SCAN", cursor, "MATCH", Self.keyPrefix + "*", "COUNT", "1000"])
            guard case .array(let parts) = reply, parts.count == 2, let next = parts[0].text, case .array(let found) = parts[1] else {
                throw RedisError(.unexpectedReply, "SCAN answered \(reply)")
            }
            keys += found.compactMap(\.text)
            cursor = next
        } while cursor != "0" && keys.count < 10_000
        guard !keys.isEmpty else { return [] }
        guard case .array(let values) = try await self.client.command(["MGET"] + keys) else { return [] }
        return values.compactMap { $0.bytes.flatMap { try? JSONDecoder().decode(NodeLoad.self, from: Data($0)) } }
    }
}
