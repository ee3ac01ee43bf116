import DatagramEngine
import STUNWire
import TURNCore

/// Serves TURN on one of an engine's listener sockets: ChannelData goes straight to the data
/// path, everything else to the loop's request processor.
///
/// RFC 8656 Section 12.5: the first two bits of a datagram tell ChannelData (`01`) from STUN
/// (`00`). Answers go out through the listener's sender when the engine's turn ends.
/// Datagrams from source port 0 (no answer can reach them) are dropped and counted.
final class EngineListener: DatagramReceiver {
    private let loop: RelayLoop

    init(loop: RelayLoop) {
        self.loop = loop
    }

    func receive(_ datagram: UnsafeRawBufferPointer, from client: STUNTransportAddress, on socket: DatagramSocket) {
        guard let first = datagram.first else { return }
        guard client.port != 0 else {
            self.loop.metrics.ignored(reason: TURNIgnoreReason.sourcePortZero.rawValue)
            return
        }
        let fiveTuple = FiveTuple(client: client, server: socket.local, transport: .udp)
        if first & 0xC0 == 0x40 {
            self.loop.receiveChannelData(datagram, on: fiveTuple)
        } else {
            self.loop.receiveControl(datagram, on: fiveTuple, link: .datagram(listener: socket.sender, client: client))
        }
    }
}

/// Takes the datagrams of one allocation's relay sockets on an engine to the data path.
final class EnginePeerReceiver: DatagramReceiver {
    private let loop: RelayLoop
    private let endpoint: RelayEndpoint

    init(loop: RelayLoop, endpoint: RelayEndpoint) {
        self.loop = loop
        self.endpoint = endpoint
    }

    func receive(_ datagram: UnsafeRawBufferPointer, from peer: STUNTransportAddress, on socket: DatagramSocket) {
        self.loop.receiveFromPeer(datagram, from: peer, on: self.endpoint)
    }
}
