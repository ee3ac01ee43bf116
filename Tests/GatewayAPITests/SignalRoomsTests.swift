import Foundation
@testable import GatewayAPI
import MetricsTestKit
import TURNAuth
import Testing

/// The hub's bookkeeping: admission, the room cap, sockets per user, other nodes' peers.
struct SignalRoomsTests {
    private static func member(_ socket: SignalSocket, user: String, room: String) -> SignalRooms.Member {
        SignalRooms.Member(
            socket: socket, info: SignalPeerInfo(peerID: socket.id, userID: user), room: room, credentialUsername: "1:\(user)",
            grant: CredentialGrant(user: user, room: room, bandwidthKbps: nil), expiresAt: 0)
    }

    private static func socket(metrics: TestMetrics = TestMetrics()) -> SignalSocket {
        SignalSocket(framing: .plain, client: "192.0.2.1", opened: Date(), metrics: SignalMetrics(factory: metrics))
    }

    @Test
    func aRoomTakesPeersUpToItsCapAndTellsWhoIsIn() {
        var rooms = SignalRooms()
        let sockets = (0..<3).map { _ in Self.socket() }
        for socket in sockets { rooms.opened(socket, deadline: 10) }
        let outcome1 = rooms.admit(Self.member(sockets[0], user: "alice", room: "r"), remoteOthers: [], localLimit: 2)
        #expect(outcome1 == .admitted)
        let outcome2 = rooms.admit(Self.member(sockets[1], user: "bob", room: "r"), remoteOthers: [], localLimit: 2)
        #expect(outcome2 == .admitted)
        let outcome3 = rooms.admit(Self.member(sockets[2], user: "carol", room: "r"), remoteOthers: [], localLimit: 2)
        #expect(outcome3 == .full)
        #expect(rooms.peers(of: "r", except: sockets[1].id) == [SignalPeerInfo(peerID: sockets[0].id, userID: "alice")])
        #expect(rooms.localSockets(of: "r", except: sockets[0].id).map(\.id) == [sockets[1].id])
        #expect(rooms.openSockets == 3)
        let outcome4 = rooms.closed(sockets[0].id)
        #expect(outcome4?.info.userID == "alice")
        let outcome5 = rooms.admit(Self.member(sockets[2], user: "carol", room: "r"), remoteOthers: [], localLimit: 2)
        #expect(outcome5 == .admitted)
        let outcome6 = rooms.closed(sockets[1].id)
        #expect(outcome6 != nil)
        let outcome7 = rooms.closed(sockets[2].id)
        #expect(outcome7 != nil)
        #expect(rooms.rooms.isEmpty)
        #expect(rooms.openSockets == 0)
    }

    @Test
    func aSocketThatWentBeforeAdmissionIsNotAdmitted() {
        var rooms = SignalRooms()
        let socket = Self.socket()
        rooms.opened(socket, deadline: 10)
        let outcome8 = rooms.closed(socket.id)
        #expect(outcome8 == nil)
        let outcome9 = rooms.admit(Self.member(socket, user: "alice", room: "r"), remoteOthers: [], localLimit: nil)
        #expect(outcome9 == .gone)
        #expect(rooms.rooms.isEmpty)
    }

    @Test
    func usersHoldAtMostTheirLimitOfSockets() {
        var rooms = SignalRooms()
        let outcome10 = rooms.reserve(user: "alice", limit: 2)
        #expect(outcome10)
        let outcome11 = rooms.reserve(user: "alice", limit: 2)
        #expect(outcome11)
        let outcome12 = rooms.reserve(user: "alice", limit: 2)
        #expect(!outcome12)
        let outcome13 = rooms.reserve(user: "bob", limit: 2)
        #expect(outcome13)
        rooms.release(user: "alice")
        let outcome14 = rooms.reserve(user: "alice", limit: 2)
        #expect(outcome14)
    }

    @Test
    func otherNodesPeersCountTowardsTheCapAndComeAndGo() {
        var rooms = SignalRooms()
        let local = Self.socket()
        let late = Self.socket()
        rooms.opened(local, deadline: 10)
        rooms.opened(late, deadline: 10)
        let remote = SignalPeerInfo(peerID: "p_remote", userID: "bob")
        let outcome15 = rooms.admit(Self.member(local, user: "alice", room: "r"), remoteOthers: [remote], localLimit: 2)
        #expect(outcome15 == .admitted)
        #expect(rooms.isRemote("p_remote", in: "r"))
        #expect(rooms.peers(of: "r", except: local.id) == [remote])
        let outcome16 = rooms.admit(Self.member(late, user: "carol", room: "r"), remoteOthers: [], localLimit: 2)
        #expect(outcome16 == .full)
        rooms.remote(.left, peer: remote, room: "r")
        #expect(!rooms.isRemote("p_remote", in: "r"))
        rooms.remote(.joined, peer: SignalPeerInfo(peerID: "p_x", userID: "x"), room: "elsewhere")
        #expect(rooms.rooms["elsewhere"] == nil, "rooms without a local peer are not tracked")
    }

    @Test
    func aSlowSocketIsClosedInsteadOfQueueingWithoutEnd() async throws {
        let metrics = TestMetrics()
        let socket = Self.socket(metrics: metrics)
        for index in 0..<(SignalSocket.maximumQueued + 10) {
            socket.send(.signal(from: "p_a", data: .number(Double(index))))
        }
        var texts = 0
        var closeCode: UInt16?
        for await item in socket.outbox {
            switch item {
            case .text: texts += 1
            case .close(let code, _): closeCode = code
            }
        }
        #expect(texts == SignalSocket.maximumQueued + 1, "the queued messages and the slow_consumer error")
        #expect(closeCode == SignalError.policyViolationCloseCode)
        #expect(try metrics.expectCounter("turngate_signal_rejections_total", [("reason", "slow_consumer")]).totalValue == 1)
    }
}
