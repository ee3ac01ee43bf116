import Foundation
import Logging
import TURNAuth
import TURNRedis

/// Carries revocations between the nodes of a cluster over Redis pub/sub: one made on this
/// node (admin API) is published; one published by another node is applied here, and the
/// relay's once-a-second sweep ends the allocations it names.
struct RevocationBroadcast: Sendable {
    /// The pub/sub channel.
    static let channel = "turngate/revocations"

    let client: RedisClient
    let subscriber: RedisSubscriber
    let revocations: RevocationList
    let node: String
    let logger: Logger

    private struct Envelope: Codable {
        var node: String
        var revocation: Revocation
    }

    /// Publishes every revocation made on this node from now on.
    func attach() {
        let client = self.client
        let node = self.node
        let logger = self.logger
        self.revocations.setBroadcaster { revocation in
            guard let payload = try? Self.encoder.encode(Envelope(node: node, revocation: revocation)) else { return }
            Task {
                do {
                    _ = try await client.command(["PUBLISH", Self.channel, String(decoding: payload, as: UTF8.self)])
                } catch {
                    logger.warning("revocation not published to the cluster", metadata: [
                        "turn.event": "revocation_publish_failed", "turn.error": "\(error)",
                    ])
                }
            }
        }
    }

    /// Applies the revocations other nodes publish, until the subscriber shuts down.
    func run() async {
        for await message in self.subscriber.messages where message.channel == Self.channel {
            guard let envelope = try? Self.decoder.decode(Envelope.self, from: Data(message.message)) else {
                self.logger.warning("malformed revocation message ignored", metadata: ["turn.event": "revocation_malformed"])
                continue
            }
            guard envelope.node != self.node else { continue }
            self.revocations.revoke(envelope.revocation, broadcast: false)
            self.logger.notice("revocation applied from the cluster", metadata: [
                "turn.event": "revocation_received", "turn.node": "\(envelope.node)",
            ])
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()
}
