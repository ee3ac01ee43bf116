import CoreMetrics
import DatagramEngine
import Logging
import NIOCore
import STUNWire
import TURNAuth
import TURNCore
import TURNMetrics
import Testing
@testable import TURNServer

/// UDP allocations end to end through the relay service on each engine backend: real
/// loopback sockets for the client and the peer, the service's own listener and relay sockets.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct EngineRelayLoopbackTests {
    /// A STUN client on a UDP socket, signing with alice's long-term key.
    struct Client {
        var socket: UDPTestSocket
        var server: STUNTransportAddress
        var realm = ""
        var nonce = ""
        var counter: UInt64 = 0

        var key: [UInt8] { LongTermKey.md5(username: "alice", realm: self.realm, password: "secret") }

        mutating func request(_ method: STUNMethod, _ attributes: [any STUNAttributeValue]) throws -> STUNMessage {
            self.counter += 1
            var message = STUNMessage(type: STUNMessageType(method: method, messageClass: .request), transactionID: STUNTransactionID(high: 5, low: self.counter))
            for attribute in attributes {
                message.append(attribute)
            }
            message.append(Username("alice"))
            message.append(Realm(self.realm))
            message.append(Nonce(self.nonce))
            self.socket.send(message.serialize(integrity: (self.key, .sha1), fingerprint: true), to: self.server)
            let response = try STUNMessage(parsing: try #require(self.socket.receive()))
            if let code = try response.attribute(ErrorCodeAttribute.self)?.code, code == .unauthorized || code == .staleNonce,
                let realm = try response.attribute(Realm.self), let nonce = try response.attribute(Nonce.self)
            {
                self.realm = realm.text
                self.nonce = nonce.text
                return try self.request(method, attributes)
            }
            return response
        }
    }

    /// Runs `body` against a server on 127.0.0.1 (UDP only) with `backend`, relaying to
    /// loopback peers.
    static func withServer(_ backend: DatagramEngine.Choice, _ body: @Sendable (STUNTransportAddress) async throws -> Void) async throws {
        try await RelayServiceHarness.run(realm: "udp.test", configure: { configuration in
            configuration.tcpEnabled = false
            configuration.relayPorts = 40_000...44_999
            configuration.relayEngine = backend
            configuration.relayThreads = 2
        }) { port in
            try await body(STUNTransportAddress(address: .v4(0x7F00_0001), port: port))
        }
    }

    static let backends: [DatagramEngine.Choice] = [.epoll, .ioUring]

    @Test(arguments: backends)
    func channelDataAndIndicationsBothWays(backend: DatagramEngine.Choice) async throws {
        try await Self.withServer(backend) { server in
            var client = Client(socket: try UDPTestSocket(timeoutMilliseconds: 2000), server: server)
            let peer = try UDPTestSocket(timeoutMilliseconds: 2000)
            let allocated = try client.request(.allocate, [RequestedTransport.udp])
            #expect(allocated.type == STUNMessageType(method: .allocate, messageClass: .successResponse), "\(allocated)")
            let relayed = try #require(try allocated.attribute(XORRelayedAddress.self)?.address)
            #expect((40_000...44_999).contains(relayed.port))

            let bound = try client.request(.channelBind, [ChannelNumber(0x4001), XORPeerAddress(peer.address)])
            #expect(bound.type == STUNMessageType(method: .channelBind, messageClass: .successResponse), "\(bound)")
            for size in [0, 1, 200, 1_300, 4_000] {
                let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &+ size) }
                var frame: [UInt8] = []
                ChannelDataHeader.serialize(channelNumber: 0x4001, data: payload, padded: false, into: &frame)
                client.socket.send(frame, to: server)
                #expect(peer.receive() == payload, "client to peer, \(size) bytes")
                peer.send(payload, to: relayed)
                let back = try #require(client.socket.receive())
                #expect(Array(back.dropFirst(ChannelDataHeader.size)) == payload, "peer to client, \(size) bytes")
            }

            // A peer without a channel: Send indication out, Data indication back.
            let other = try UDPTestSocket(timeoutMilliseconds: 2000)
            _ = try client.request(.createPermission, [XORPeerAddress(other.address)])
            var send = STUNMessage(type: STUNMessageType(method: .send, messageClass: .indication), transactionID: STUNTransactionID(high: 1, low: 1))
            send.append(XORPeerAddress(other.address))
            send.append(DataAttribute([9, 8, 7]))
            client.socket.send(send.serialize(), to: server)
            #expect(other.receive() == [9, 8, 7])
            other.send([6, 5], to: relayed)
            let indication = try STUNMessage(parsing: try #require(client.socket.receive()))
            #expect(try indication.attribute(DataAttribute.self)?.bytes == [6, 5])
            #expect(try indication.attribute(XORPeerAddress.self)?.address == other.address)

            // Refresh with lifetime 0 ends the allocation: its port is free at once.
            let refreshed = try client.request(.refresh, [Lifetime(0)])
            #expect(refreshed.type == STUNMessageType(method: .refresh, messageClass: .successResponse), "\(refreshed)")
            try await Task.sleep(for: .milliseconds(100))
            try DatagramSender.probe(SocketAddressStorage(relayed))
        }
    }

    @Test(arguments: backends)
    func evenPortReservationIsClaimedByASecondAllocation(backend: DatagramEngine.Choice) async throws {
        try await Self.withServer(backend) { server in
            var first = Client(socket: try UDPTestSocket(timeoutMilliseconds: 2000), server: server)
            let allocated = try first.request(.allocate, [RequestedTransport.udp, EvenPort(reserveNextPort: true)])
            #expect(allocated.type == STUNMessageType(method: .allocate, messageClass: .successResponse), "\(allocated)")
            let relayed = try #require(try allocated.attribute(XORRelayedAddress.self)?.address)
            #expect(relayed.port % 2 == 0)
            let token = try #require(try allocated.attribute(ReservationToken.self))

            var second = Client(socket: try UDPTestSocket(timeoutMilliseconds: 2000), server: server)
            let claimed = try second.request(.allocate, [RequestedTransport.udp, token])
            #expect(claimed.type == STUNMessageType(method: .allocate, messageClass: .successResponse), "\(claimed)")
            #expect(try claimed.attribute(XORRelayedAddress.self)?.address.port == relayed.port + 1)
        }
    }
}
