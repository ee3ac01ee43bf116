import Foundation
import GatewayAPI
import Logging
import ServiceLifecycle
import TURNRedis

/// Signaling rooms across the nodes sharing `redis-userdb` (docs/signaling.md, "Cluster").
///
/// A room's places are leases (``RedisLeaseCounter``, key `turngate/signal/room/<room>`,
/// member `<node>:<peerId>`), so `signal-room-max-peers` holds cluster-wide and a crashed
/// node's peers lapse after ``lease``; the users of a room's peers are a hash
/// (`turngate/signal/users/<room>`). Events for other nodes go through the pub/sub channel
/// ``channel`` on a subscriber of their own.
final class RedisSignalBus: SignalBus, Service {
    /// The pub/sub channel.
    static let channel = "turngate/signal"
    /// How long a place is held without renewal; the hub renews every 20 s.
    static let lease = Duration.seconds(60)
    /// Seconds a room's user hash outlives its last join.
    static let usersKeySeconds = 86_400

    let messages: AsyncStream<SignalBusMessage>
    private let continuation: AsyncStream<SignalBusMessage>.Continuation
    private let client: RedisClient
    private let subscriber: RedisSubscriber
    private let places: RedisLeaseCounter
    private let node: String
    private let logger: Logger

    private struct Envelope: Codable {
        var node: String
        var message: SignalBusMessage
    }

    init(client: RedisClient, subscriber: RedisSubscriber, node: String, logger: Logger) {
        self.client = client
        self.subscriber = subscriber
        self.places = RedisLeaseCounter(client: client, keyPrefix: "turngate/signal/room/")
        self.node = node
        self.logger = logger
        (self.messages, self.continuation) = AsyncStream.makeStream(of: SignalBusMessage.self)
    }

    func join(room: String, peer: SignalPeerInfo, limit: Int) async throws -> [SignalPeerInfo]? {
        let outcome = try await self.places.acquire(user: room, limit: limit, node: self.node, allocationID: peer.peerID, lease: Self.lease)
        guard case .acquired = outcome else { return nil }
        let users = Self.usersKey(room)
        _ = try await self.client.command(["HSET", users, peer.peerID, peer.userID])
        _ = try await self.client.command(["EXPIRE", users, String(Self.usersKeySeconds)])
        let others = try await self.places.holders(user: room).map(\.allocationID).filter { $0 != peer.peerID }
        guard !others.isEmpty else { return [] }
        let names = try await self.client.command(["HMGET", users] + others).array ?? []
        return zip(others, names).compactMap { peerID, name in name.text.map { SignalPeerInfo(peerID: peerID, userID: $0) } }
    }

    func leave(room: String, peerID: String) async {
        do {
            try await self.places.release(user: room, node: self.node, allocationID: peerID)
            _ = try await self.client.command(["HDEL", Self.usersKey(room), peerID])
        } catch {
            self.logger.warning("signaling place not released; it lapses with its lease", metadata: [
                "turn.event": "signal_leave_failed", "turn.error": "\(error)",
            ])
        }
    }

    func renew(_ places: [(room: String, peerID: String)]) async {
        for place in places {
            _ = try? await self.places.renew(user: place.room, node: self.node, allocationID: place.peerID, lease: Self.lease)
        }
    }

    func publish(_ message: SignalBusMessage) async {
        guard let payload = try? JSONEncoder().encode(Envelope(node: self.node, message: message)) else { return }
        do {
            _ = try await self.client.command(["PUBLISH", Self.channel, String(decoding: payload, as: UTF8.self)])
        } catch {
            self.logger.warning("signaling event not published to the cluster", metadata: [
                "turn.event": "signal_publish_failed", "turn.error": "\(error)",
            ])
        }
    }

    /// Passes other nodes' events to ``messages`` until graceful shutdown, then closes the
    /// subscriber.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await published in self.subscriber.messages where published.channel == Self.channel {
                guard let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(published.message)) else {
                    self.logger.warning("malformed signaling message ignored", metadata: ["turn.event": "signal_malformed"])
                    continue
                }
                if envelope.node != self.node { self.continuation.yield(envelope.message) }
            }
        }
        self.continuation.finish()
        await self.subscriber.shutdown()
    }

    private static func usersKey(_ room: String) -> String { "turngate/signal/users/" + room }
}
