import Foundation
import Logging
import Synchronization
import TURNAuth

/// The rooms of this node: authenticates sockets into rooms with the gateway's token and
/// minting rules, delivers events between their peers, and, with a ``SignalBus``, to and from
/// the peers of other nodes (docs/signaling.md).
final class SignalHub: Sendable {
    private let core: GatewayCore
    private let bus: (any SignalBus)?
    let metrics: SignalMetrics
    private let state = Mutex(SignalRooms())

    init(core: GatewayCore, bus: (any SignalBus)?, metrics: SignalMetrics) {
        self.core = core
        self.bus = bus
        self.metrics = metrics
    }

    /// A socket was opened; it has `signal-auth-timeout` seconds to authenticate.
    func opened(_ socket: SignalSocket, settings: SignalSettings) {
        let deadline = socket.opened.timeIntervalSince1970 + Double(settings.authTimeoutSeconds)
        self.update { $0.opened(socket, deadline: deadline) }
    }

    /// A socket has gone: the others in its room are told, here and on other nodes.
    func closed(_ socket: SignalSocket) async {
        socket.finish()
        guard let member = self.update({ $0.closed(socket.id) }) else { return }
        let event = SignalEvent.peerLeft(peerID: member.info.peerID)
        for other in self.state.withLock({ $0.localSockets(of: member.room, except: nil) }) { other.send(event) }
        guard let bus = self.bus else { return }
        await bus.leave(room: member.room, peerID: member.info.peerID)
        await bus.publish(SignalBusMessage(room: member.room, from: member.info, to: nil, change: .left, event: event))
    }

    /// Authenticates `socket` into a room and sends it `authenticated`; then the others in the
    /// room are told. `authenticated` is queued as the socket joins the room, so it comes before
    /// any event from the room.
    ///
    /// - Throws: the ``SignalError`` to send: a refused token, a room the token does not grant,
    ///   a refusal to mint, the user's socket limit, a full room.
    func authenticate(_ socket: SignalSocket, token text: String, room requested: String?) async throws(SignalError) {
        guard self.state.withLock({ $0.pending[socket.id] != nil }) else { throw .badMessage("already authenticated") }
        let settings = self.core.settings
        guard let limits = settings.configuration.signaling else { throw .internalError }
        let now = self.core.clock.now()
        let token: VerifiedToken
        do throws(TokenRejection) {
            token = try await settings.verifier.verify(authorization: "Bearer " + text, now: now)
        } catch {
            self.core.metrics.tokenRejected(error)
            self.core.security.event(.tokenRejected, reason: error.code, client: socket.client, room: requested)
            throw SignalError(error)
        }
        let room = try self.room(for: token, requested: requested, open: limits.openRooms, client: socket.client)
        let minted: MintedCredential
        do throws(GatewayError) {
            minted = try settings.minter.mint(for: token, room: room, ttl: nil, now: now, revocations: self.core.revocations)
        } catch {
            let event: SecurityLog.Event = error == .revoked ? .revoked : .roomDenied
            self.core.security.event(event, reason: error.code, client: socket.client, user: token.user, room: room)
            throw SignalError(error)
        }
        self.core.metrics.credentialIssued()
        guard self.update({ $0.reserve(user: token.user, limit: limits.userConnections) }) else {
            self.core.security.event(.roomDenied, reason: "too_many_connections", client: socket.client, user: token.user, room: room)
            throw .tooManyConnections
        }
        let info = SignalPeerInfo(peerID: socket.id, userID: token.user)
        let remoteOthers: [SignalPeerInfo]
        do throws(SignalError) {
            remoteOthers = try await self.takePlace(in: room, for: info, limit: limits.roomMaxPeers)
        } catch {
            self.update { $0.release(user: token.user) }
            if error == .roomFull {
                self.core.security.event(.roomDenied, reason: error.code, client: socket.client, user: token.user, room: room)
            }
            throw error
        }
        let member = SignalRooms.Member(
            socket: socket, info: info, room: room, credentialUsername: minted.credential.username, grant: minted.grant,
            expiresAt: token.expiresAt.timeIntervalSince1970)
        let uris = await self.core.relay.preferredURIs() ?? settings.configuration.turnURIs
        let localLimit = self.bus == nil ? limits.roomMaxPeers : nil
        let (outcome, others) = self.update { rooms -> (SignalRooms.Admission, [SignalSocket]) in
            let outcome = rooms.admit(member, remoteOthers: remoteOthers, localLimit: localLimit)
            guard outcome == .admitted else { return (outcome, []) }
            let peers = rooms.peers(of: room, except: info.peerID)
            socket.send(Self.authenticated(info, room: room, peers: peers, minted: minted, uris: uris))
            return (outcome, rooms.localSockets(of: room, except: info.peerID))
        }
        guard outcome == .admitted else {
            self.update { $0.release(user: token.user) }
            await self.bus?.leave(room: room, peerID: info.peerID)
            if outcome == .full {
                self.core.security.event(.roomDenied, reason: "room_full", client: socket.client, user: token.user, room: room)
                throw .roomFull
            }
            throw .internalError
        }
        let joined = SignalEvent.peerJoined(info)
        for other in others { other.send(joined) }
        await self.bus?.publish(SignalBusMessage(room: room, from: info, to: nil, change: .joined, event: joined))
    }

    /// Delivers a `signal` from `socket` to `to`, or to every other peer of its room.
    ///
    /// - Throws: `bad_message` before authentication, `unknown_peer` for a `to` not in the room.
    func signal(from socket: SignalSocket, to: String?, data: SignalJSON) async throws(SignalError) {
        let event = SignalEvent.signal(from: socket.id, data: data)
        let (member, targets, remote) = self.state.withLock { rooms -> (SignalRooms.Member?, [SignalSocket], Bool) in
            guard let member = rooms.members[socket.id] else { return (nil, [], false) }
            guard let to else { return (member, rooms.localSockets(of: member.room, except: socket.id), rooms.hasRemotePeers(member.room)) }
            if let target = rooms.members[to], target.room == member.room, to != socket.id { return (member, [target.socket], false) }
            return (member, [], rooms.isRemote(to, in: member.room))
        }
        guard let member else { throw .badMessage("authenticate first") }
        guard to == nil || !targets.isEmpty || remote else { throw .unknownPeer }
        for target in targets { target.send(event) }
        if remote, let bus = self.bus {
            await bus.publish(SignalBusMessage(room: member.room, from: member.info, to: to, change: .none, event: event))
        }
    }

    /// Closes sockets past their deadline: not authenticated within `signal-auth-timeout`, a
    /// token past its `exp`, a user, room or credential revoked. Runs once a second.
    func sweep(now: Date) {
        let seconds = now.timeIntervalSince1970
        let revocations = self.core.revocations
        let (late, expired, members) = self.state.withLock { rooms in
            (
                rooms.pending.values.filter { $0.deadline <= seconds }.map(\.socket),
                rooms.members.values.filter { $0.expiresAt <= seconds }.map(\.socket),
                Array(rooms.members.values)
            )
        }
        for socket in late { self.reject(socket, .authTimeout) }
        for socket in expired { self.reject(socket, .tokenExpired) }
        for member in members where revocations.isRevoked(username: member.credentialUsername, grant: member.grant, now: now) {
            guard self.reject(member.socket, .revoked) else { continue }
            self.core.security.event(.revoked, reason: "revoked", client: member.socket.client, user: member.info.userID, room: member.room)
        }
    }

    /// Renews this node's places on the bus.
    func renewPlaces() async {
        guard let bus = self.bus else { return }
        let places = self.state.withLock { rooms in rooms.members.values.map { (room: $0.room, peerID: $0.info.peerID) } }
        if !places.isEmpty { await bus.renew(places) }
    }

    /// Delivers what other nodes publish, until the bus shuts down.
    func relayBusMessages() async {
        guard let bus = self.bus else { return }
        for await message in bus.messages {
            let targets = self.update { rooms -> [SignalSocket] in
                rooms.remote(message.change, peer: message.from, room: message.room)
                guard let to = message.to else { return rooms.localSockets(of: message.room, except: message.from.peerID) }
                guard let member = rooms.members[to], member.room == message.room else { return [] }
                return [member.socket]
            }
            let event = message.event
            for target in targets { target.send(event) }
        }
    }

    /// Sends `error` to `socket` (closing it when the error closes), counted; false when the
    /// socket was closing already.
    @discardableResult
    func reject(_ socket: SignalSocket, _ error: SignalError) -> Bool {
        guard socket.close(after: error) else { return false }
        self.metrics.rejected(error)
        return true
    }

    /// The room a token may join: its own `roomId` claim, or with `signal-open-rooms` any room.
    private func room(for token: VerifiedToken, requested: String?, open: Bool, client: String) throws(SignalError) -> String {
        if let granted = token.room {
            guard requested == nil || requested == granted else {
                self.core.security.event(.roomDenied, reason: "room_not_allowed", client: client, user: token.user, room: requested)
                throw .roomNotAllowed
            }
            return granted
        }
        guard let requested else { throw .badMessage("authenticate needs a roomId") }
        guard open else {
            self.core.security.event(.roomDenied, reason: "room_not_allowed", client: client, user: token.user, room: requested)
            throw .roomNotAllowed
        }
        return requested
    }

    /// Takes a place in the room on the bus, cluster-wide; a single node checks its rooms
    /// when it admits the peer. Returns the peers of other nodes already in it.
    private func takePlace(in room: String, for info: SignalPeerInfo, limit: Int) async throws(SignalError) -> [SignalPeerInfo] {
        guard let bus = self.bus else { return [] }
        let others: [SignalPeerInfo]?
        do {
            others = try await bus.join(room: room, peer: info, limit: limit)
        } catch {
            self.core.logger.warning(
                "signaling room not joined: the cluster's room list cannot be reached",
                metadata: ["turn.event": "signal_bus_failed", "turn.error": "\(error)"])
            throw .internalError
        }
        guard let others else { throw .roomFull }
        let local = self.state.withLock { rooms in Set(rooms.members.keys) }
        return others.filter { !local.contains($0.peerID) }
    }

    private static func authenticated(
        _ info: SignalPeerInfo, room: String, peers: [SignalPeerInfo], minted: MintedCredential, uris: [String]
    ) -> SignalEvent {
        let iceServers: [SignalJSON] =
            uris.isEmpty
            ? []
            : [
                .object([
                    "urls": .array(uris.map(SignalJSON.string)), "username": .string(minted.credential.username),
                    "credential": .string(minted.credential.password),
                ])
            ]
        return SignalEvent(
            name: "authenticated",
            fields: [
                "peerId": .string(info.peerID), "userId": .string(info.userID), "roomId": .string(room),
                "peers": .array(peers.map { .object($0.fields) }), "iceServers": .array(iceServers),
            ])
    }

    /// Changes the bookkeeping and records the gauges.
    private func update<Result>(_ change: (inout SignalRooms) -> Result) -> Result {
        let (result, sockets, rooms) = self.state.withLock { state in
            let result = change(&state)
            return (result, state.openSockets, state.rooms.count)
        }
        self.metrics.record(connections: sockets, rooms: rooms)
        return result
    }
}
