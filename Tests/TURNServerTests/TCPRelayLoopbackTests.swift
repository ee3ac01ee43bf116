import CoreMetrics
import Foundation
import Logging
import NIOCore
import STUNWire
import TURNAuth
import TURNCore
import TURNMetrics
import Testing
@testable import TURNServer

/// TCP allocations (RFC 6062) through real loopback sockets: the server's TCP listener, a
/// relay listener, a TCP echo peer, control and data connections.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct TCPRelayLoopbackTests {
    /// A STUN client on a blocking socket, signing with alice's long-term key.
    struct Client {
        var socket: TCPTestSocket
        var realm = ""
        var nonce = ""
        var counter: UInt64 = 0

        var key: [UInt8] { LongTermKey.md5(username: "alice", realm: self.realm, password: "secret") }

        mutating func request(_ method: STUNMethod, _ attributes: [any STUNAttributeValue], signed: Bool = true) throws -> STUNMessage {
            self.counter += 1
            var message = STUNMessage(type: STUNMessageType(method: method, messageClass: .request), transactionID: STUNTransactionID(high: 7, low: self.counter))
            for attribute in attributes {
                message.append(attribute)
            }
            if signed {
                message.append(Username("alice"))
                message.append(Realm(self.realm))
                message.append(Nonce(self.nonce))
            }
            try self.socket.send(message.serialize(integrity: signed ? (self.key, .sha1) : nil, fingerprint: true))
            let response = try self.socket.receiveMessage()
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

    /// Runs `body` against a server on 127.0.0.1 (TCP only) that relays to loopback peers.
    static func withServer(_ body: @Sendable (UInt16) async throws -> Void) async throws {
        try await RelayServiceHarness.run(realm: "tcp.test", configure: { configuration in
            configuration.udpEnabled = false
            configuration.relayPorts = 30_000...39_999
        }, body)
    }

    /// Echoes every connection it accepts until `count` connections ended.
    static func startEchoPeer(connections count: Int) throws -> UInt16 {
        let (listener, port) = try TCPTestSocket.listen()
        let thread = Thread {
            for _ in 0..<count {
                guard let connection = try? listener.accept() else { break }
                while let bytes = try? connection.receive(), !bytes.isEmpty {
                    try? connection.send(bytes)
                }
                connection.close()
            }
            listener.close()
        }
        thread.start()
        return port
    }

    static func allocate(port: UInt16) throws -> (Client, STUNTransportAddress) {
        var control = Client(socket: try TCPTestSocket.connect(port: port))
        let allocated = try control.request(.allocate, [RequestedTransport.tcp])
        #expect(allocated.type == STUNMessageType(method: .allocate, messageClass: .successResponse), "\(allocated)")
        let relayed = try #require(try allocated.attribute(XORRelayedAddress.self)?.address)
        return (control, relayed)
    }

    @Test func connectBindAndEchoThroughAPeer() async throws {
        let peerPort = try Self.startEchoPeer(connections: 1)
        try await Self.withServer { port in
            var (control, _) = try Self.allocate(port: port)
            let peer = STUNTransportAddress(address: .v4(0x7F00_0001), port: peerPort)
            let connected = try control.request(.connect, [XORPeerAddress(peer)])
            #expect(connected.type == STUNMessageType(method: .connect, messageClass: .successResponse), "\(connected)")
            let id = try #require(try connected.attribute(ConnectionID.self))
            let again = try control.request(.connect, [XORPeerAddress(peer)])
            #expect(try again.attribute(ErrorCodeAttribute.self)?.code == .connectionAlreadyExists)

            var data = Client(socket: try TCPTestSocket.connect(port: port), realm: control.realm, nonce: control.nonce, counter: 100)
            let bound = try data.request(.connectionBind, [id])
            #expect(bound.type == STUNMessageType(method: .connectionBind, messageClass: .successResponse), "\(bound)")

            let payload = Array("hello over tcp".utf8) + [UInt8](repeating: 0x42, count: 100_000)
            try data.socket.send(payload)
            #expect(try data.socket.receive(exactly: payload.count) == payload)

            // The control connection closing ends the allocation and its connections.
            control.socket.close()
            #expect(try data.socket.receive().isEmpty)
            data.socket.close()
        }
    }

    @Test func peerDataBeyondTheUnboundBufferWaitsForTheBind() async throws {
        try await Self.withServer { port in
            var (control, relayed) = try Self.allocate(port: port)
            _ = try control.request(.createPermission, [XORPeerAddress(STUNTransportAddress(address: .v4(0x7F00_0001), port: 1))])
            let peer = try TCPTestSocket.connect(port: relayed.port)
            let attempt = try control.socket.receiveMessage()
            let id = try #require(try attempt.attribute(ConnectionID.self))
            // Far more than the relay keeps for an unbound connection: it stops reading, the
            // kernel buffers fill, and the sender blocks until the client binds.
            let blob = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let sender = Thread { try? peer.send(blob) }
            sender.start()
            try await Task.sleep(for: .milliseconds(200))
            var data = Client(socket: try TCPTestSocket.connect(port: port), realm: control.realm, nonce: control.nonce, counter: 100)
            let bound = try data.request(.connectionBind, [id])
            #expect(bound.type.messageClass == .successResponse)
            #expect(try data.socket.receive(exactly: blob.count) == blob)
            peer.close()
            data.socket.close()
            control.socket.close()
        }
    }

    @Test func refreshWithLifetimeZeroEndsThePeerAndDataConnections() async throws {
        let peerPort = try Self.startEchoPeer(connections: 1)
        try await Self.withServer { port in
            var (control, _) = try Self.allocate(port: port)
            let connected = try control.request(.connect, [XORPeerAddress(STUNTransportAddress(address: .v4(0x7F00_0001), port: peerPort))])
            let id = try #require(try connected.attribute(ConnectionID.self))
            var data = Client(socket: try TCPTestSocket.connect(port: port), realm: control.realm, nonce: control.nonce, counter: 100)
            #expect(try data.request(.connectionBind, [id]).type.messageClass == .successResponse)
            try data.socket.send([1, 2, 3])
            #expect(try data.socket.receive(exactly: 3) == [1, 2, 3])
            let refreshed = try control.request(.refresh, [Lifetime(0)])
            #expect(refreshed.type.messageClass == .successResponse)
            #expect(try data.socket.receive().isEmpty)
            data.socket.close()
            control.socket.close()
        }
    }

    @Test func connectToAClosedPortGets447() async throws {
        let (listener, closedPort) = try TCPTestSocket.listen()
        listener.close()
        try await Self.withServer { port in
            var (control, _) = try Self.allocate(port: port)
            let response = try control.request(.connect, [XORPeerAddress(STUNTransportAddress(address: .v4(0x7F00_0001), port: closedPort))])
            #expect(try response.attribute(ErrorCodeAttribute.self)?.code == .connectionTimeoutOrFailure)
            control.socket.close()
        }
    }

    @Test func peerConnectsAfterPermissionAndTheClientBindsIt() async throws {
        try await Self.withServer { port in
            var (control, relayed) = try Self.allocate(port: port)
            // Without a permission the relay closes the peer's connection at once.
            let refused = try TCPTestSocket.connect(port: relayed.port)
            #expect(try refused.receive().isEmpty)
            refused.close()

            let permitted = try control.request(.createPermission, [XORPeerAddress(STUNTransportAddress(address: .v4(0x7F00_0001), port: 1))])
            #expect(permitted.type.messageClass == .successResponse)
            let peer = try TCPTestSocket.connect(port: relayed.port)
            try peer.send(Array("early bytes".utf8))
            let attempt = try control.socket.receiveMessage()
            #expect(attempt.type == STUNMessageType(method: .connectionAttempt, messageClass: .indication))
            let id = try #require(try attempt.attribute(ConnectionID.self))
            #expect(try attempt.attribute(XORPeerAddress.self)?.address.address == .v4(0x7F00_0001))

            var data = Client(socket: try TCPTestSocket.connect(port: port), realm: control.realm, nonce: control.nonce, counter: 100)
            let bound = try data.request(.connectionBind, [id])
            #expect(bound.type == STUNMessageType(method: .connectionBind, messageClass: .successResponse), "\(bound)")
            #expect(try data.socket.receive(exactly: 11) == Array("early bytes".utf8))
            try data.socket.send(Array("to the peer".utf8))
            #expect(try peer.receive(exactly: 11) == Array("to the peer".utf8))
            try peer.send(Array("to the client".utf8))
            #expect(try data.socket.receive(exactly: 13) == Array("to the client".utf8))

            // Half-close travels across: the peer's FIN reaches the client, which can still send.
            peer.shutdownOutput()
            #expect(try data.socket.receive().isEmpty)
            try data.socket.send(Array("late".utf8))
            #expect(try peer.receive(exactly: 4) == Array("late".utf8))
            data.socket.shutdownOutput()
            #expect(try peer.receive().isEmpty)
            peer.close()
            data.socket.close()
            control.socket.close()
        }
    }
}
