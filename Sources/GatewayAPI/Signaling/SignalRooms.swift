import TURNAuth

/// The hub's bookkeeping, without I/O: sockets waiting to authenticate, the members of each
/// room on this node (and, in a cluster, those on other nodes), and sockets per user.
struct SignalRooms: Sendable {
    /// An authenticated socket.
    struct Member: Sendable {
        var socket: SignalSocket
        var info: SignalPeerInfo
        var room: String
        /// The TURN user name minted for it, checked against revocations.
        var credentialUsername: String
        var grant: CredentialGrant
        /// The token's `exp`, as seconds since 1970.
        var expiresAt: Double
    }

    /// A room's peers.
    struct Room: Sendable {
        /// Peer ids of this node, in joining order.
        var local: [String] = []
        /// Peers of other nodes: peer id to user.
        var remote: [String: String] = [:]
    }

    /// Sockets not authenticated yet, with the time (seconds since 1970) they must be by.
    private(set) var pending: [String: (socket: SignalSocket, deadline: Double)] = [:]
    private(set) var members: [String: Member] = [:]
    private(set) var rooms: [String: Room] = [:]
    private var userSockets: [String: Int] = [:]
    /// Open sockets, authenticated or not.
    private(set) var openSockets = 0

    mutating func opened(_ socket: SignalSocket, deadline: Double) {
        self.pending[socket.id] = (socket, deadline)
        self.openSockets += 1
    }

    /// Forgets a socket; returns its membership when it had one. A socket already forgotten
    /// (or never opened here) changes nothing.
    mutating func closed(_ socketID: String) -> Member? {
        if self.pending.removeValue(forKey: socketID) != nil {
            self.openSockets -= 1
            return nil
        }
        guard let member = self.members.removeValue(forKey: socketID) else { return nil }
        self.openSockets -= 1
        self.release(user: member.info.userID)
        self.rooms[member.room]?.local.removeAll { $0 == socketID }
        self.dropIfEmpty(member.room)
        return member
    }

    /// Reserves one of the user's sockets; false when the user has `limit` already.
    mutating func reserve(user: String, limit: Int) -> Bool {
        let count = self.userSockets[user, default: 0]
        guard count < limit else { return false }
        self.userSockets[user] = count + 1
        return true
    }

    /// Gives back a reservation that did not become a membership.
    mutating func release(user: String) {
        let count = self.userSockets[user, default: 0] - 1
        self.userSockets[user] = count > 0 ? count : nil
    }

    /// What ``admit(_:remoteOthers:localLimit:)`` did.
    enum Admission: Sendable, Hashable {
        case admitted
        /// The socket has gone meanwhile.
        case gone
        /// The room has `localLimit` peers.
        case full
    }

    /// Makes a pending socket a member, learning `others` on other nodes, unless the room has
    /// `localLimit` peers (a single node's cap; a cluster's is taken on the bus first).
    mutating func admit(_ member: Member, remoteOthers: [SignalPeerInfo], localLimit: Int?) -> Admission {
        guard self.pending[member.info.peerID] != nil else { return .gone }
        if let localLimit, let room = self.rooms[member.room], room.local.count + room.remote.count >= localLimit { return .full }
        self.pending[member.info.peerID] = nil
        self.members[member.info.peerID] = member
        var room = self.rooms[member.room] ?? Room()
        room.local.append(member.info.peerID)
        for other in remoteOthers where self.members[other.peerID] == nil {
            room.remote[other.peerID] = other.userID
        }
        self.rooms[member.room] = room
        return .admitted
    }

    /// The room's peers other than `peerID`, local first.
    func peers(of roomName: String, except peerID: String) -> [SignalPeerInfo] {
        guard let room = self.rooms[roomName] else { return [] }
        let local = room.local.compactMap { id in id == peerID ? nil : self.members[id]?.info }
        let remote = room.remote.map { SignalPeerInfo(peerID: $0.key, userID: $0.value) }.sorted { $0.peerID < $1.peerID }
        return local + remote
    }

    /// The sockets of the room's local members other than `peerID`.
    func localSockets(of roomName: String, except peerID: String?) -> [SignalSocket] {
        (self.rooms[roomName]?.local ?? []).compactMap { id in id == peerID ? nil : self.members[id]?.socket }
    }

    /// Records a membership change on another node, for rooms with a local peer.
    mutating func remote(_ change: SignalBusMessage.Change, peer: SignalPeerInfo, room roomName: String) {
        guard var room = self.rooms[roomName] else { return }
        switch change {
        case .joined: room.remote[peer.peerID] = peer.userID
        case .left: room.remote[peer.peerID] = nil
        case .none: return
        }
        self.rooms[roomName] = room
    }

    /// Whether `room` has peers on other nodes.
    func hasRemotePeers(_ room: String) -> Bool {
        !(self.rooms[room]?.remote.isEmpty ?? true)
    }

    /// Whether `peerID` is in `room` on another node.
    func isRemote(_ peerID: String, in room: String) -> Bool {
        self.rooms[room]?.remote[peerID] != nil
    }

    private mutating func dropIfEmpty(_ room: String) {
        if self.rooms[room]?.local.isEmpty ?? false { self.rooms[room] = nil }
    }
}
