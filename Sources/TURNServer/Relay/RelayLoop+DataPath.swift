import DatagramEngine
import NIOCore
import STUNWire
import TURNCore
import TURNMetrics

/// The data path (RFC 8656 Sections 11 and 12): ChannelData and Send indications from clients
/// to peers, datagrams from peers to clients as ChannelData or Data indications, each through
/// the loop's ``DatagramOutbox`` (UDP clients) or the client's connection (TCP), under
/// `max-bps` and `bps-capacity`.
extension RelayLoop {
    /// ChannelData from a client: forwarded to the bound peer as a slice of the received bytes.
    func receiveChannelData(_ message: UnsafeRawBufferPointer, on fiveTuple: FiveTuple) {
        let now = ContinuousClock.now
        guard let (header, payload) = try? ChannelDataHeader.parseDatagram(message.assumingMemoryBound(to: UInt8.self).span),
            let route = self.processor.channelRoute(on: fiveTuple, channel: header.channelNumber, now: now),
            let endpoint = RelayEndpoint.of(route.endpoint)
        else {
            self.metrics.ignored(reason: TURNIgnoreReason.unboundChannel.rawValue)
            return
        }
        self.forward(message, range: payload, to: route.peer, from: endpoint, now: now)
    }

    /// A Send indication: its DATA goes to the peer as a slice of the received bytes.
    func receiveSendIndication(_ message: UnsafeRawBufferPointer, on fiveTuple: FiveTuple) {
        let now = ContinuousClock.now
        switch self.processor.sendIndication(message.assumingMemoryBound(to: UInt8.self).span, on: fiveTuple, now: now) {
        case .forward(let peer, let range, let endpoint):
            guard let endpoint = RelayEndpoint.of(endpoint?.endpoint) else { return }
            self.forward(message, range: range, to: peer, from: endpoint, now: now)
        case .drop(let reason):
            self.metrics.ignored(reason: reason.rawValue)
        }
    }

    /// Sends the bytes at `range` of a client's message to `peer` from the relay socket of
    /// `endpoint`'s allocation, copied into the outbox. The processor has allowed the peer.
    func forward(
        _ message: UnsafeRawBufferPointer, range: Range<Int>, to peer: STUNTransportAddress, from endpoint: RelayEndpoint, now: ContinuousClock.Instant
    ) {
        guard let relay = endpoint.relaySender(for: peer.address.family),
            range.lowerBound >= 0, range.upperBound <= message.count,
            self.admit(range.count, direction: .clientToPeer, endpoint: endpoint, now: now)
        else { return }
        self.traffic.record(.clientToPeer, bytes: range.count)
        endpoint.packetsToPeers &+= 1
        endpoint.bytesToPeers &+= range.count
        if self.batchStart == nil { self.batchStart = now }
        self.outbox.enqueue(from: relay, to: peer, length: range.count) { out in
            out.copyMemory(from: UnsafeRawBufferPointer(rebasing: message[range]))
        }
    }

    /// A datagram from `peer` at a relay socket of `endpoint`'s allocation.
    func receiveFromPeer(_ payload: UnsafeRawBufferPointer, from peer: STUNTransportAddress, on endpoint: RelayEndpoint) {
        let fiveTuple = endpoint.fiveTuple
        let link = endpoint.link
        let now = ContinuousClock.now
        let delivery = self.processor.peerDelivery(on: fiveTuple, from: peer, now: now)
        if delivery == .drop {
            self.metrics.ignored(reason: TURNIgnoreReason.noPermission.rawValue)
            return
        }
        guard link.acceptsData else {
            self.metrics.bandwidthDrop(.peerToClient)
            return
        }
        let payloadLength = payload.count
        guard self.admit(payloadLength, direction: .peerToClient, endpoint: endpoint, now: now) else { return }
        if self.batchStart == nil { self.batchStart = now }
        self.traffic.record(.peerToClient, bytes: payloadLength)
        endpoint.packetsToClient &+= 1
        endpoint.bytesToClient &+= payloadLength
        switch delivery {
        case .channel(let number):
            let header = ChannelDataHeader(channelNumber: number, length: payloadLength).wireValue
            let padding = link.padsChannelData ? (4 - payloadLength % 4) % 4 : 0
            self.deliver(payload, length: ChannelDataHeader.size + payloadLength + padding, to: link) { out, payload in
                out.storeBytes(of: header.bigEndian, toByteOffset: 0, as: UInt32.self)
                UnsafeMutableRawBufferPointer(rebasing: out[ChannelDataHeader.size..<(ChannelDataHeader.size + payload.count)])
                    .copyMemory(from: payload)
                for index in (ChannelDataHeader.size + payload.count)..<out.count { out[index] = 0 }
            }
        case .dataIndication:
            self.indicationCounter &+= 0x9E37_79B9_7F4A_7C15
            let transactionID = STUNTransactionID(high: UInt32(truncatingIfNeeded: self.indicationCounter >> 32), low: self.indicationCounter)
            let length = DataIndicationWriter.length(from: peer, payloadLength: payloadLength)
            self.deliver(payload, length: length, to: link) { out, payload in
                DataIndicationWriter.write(into: out, from: peer, payload: payload, transactionID: transactionID)
            }
        case .drop:
            return
        }
    }

    /// Sends `length` bytes that `write` builds around a peer's `payload` to the client: into
    /// the outbox for a UDP client, into a buffer on its connection for a TCP client.
    private func deliver(
        _ payload: UnsafeRawBufferPointer,
        length: Int,
        to link: ClientLink,
        _ write: (UnsafeMutableRawBufferPointer, UnsafeRawBufferPointer) -> Void
    ) {
        switch link {
        case .datagram(let listener, let client):
            self.outbox.enqueue(from: listener, to: client, length: length) { write($0, payload) }
        case .stream(let connection):
            var out = connection.allocator.buffer(capacity: length)
            out.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { bytes in
                write(UnsafeMutableRawBufferPointer(rebasing: bytes[0..<length]), payload)
                return length
            }
            connection.write(out, promise: nil)
            self.scheduleFlush(connection)
        }
    }

    /// Whether `bytes` more may be relayed in `direction` under `max-bps` and `bps-capacity`.
    private func admit(_ bytes: Int, direction: RelayMetrics.Direction, endpoint: RelayEndpoint, now: ContinuousClock.Instant) -> Bool {
        let passes: Bool
        switch direction {
        case .clientToPeer:
            passes = (endpoint.toPeers?.take(bytes, now: now) ?? true) && (self.serverToPeers?.take(bytes, now: now) ?? true)
        case .peerToClient:
            passes = (endpoint.toClient?.take(bytes, now: now) ?? true) && (self.serverToClients?.take(bytes, now: now) ?? true)
        }
        if !passes { self.metrics.bandwidthDrop(direction) }
        return passes
    }
}
