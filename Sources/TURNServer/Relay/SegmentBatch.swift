import NIOCore
import STUNWire

/// Datagrams of one size from one socket to one destination (a relay socket to a peer, or the
/// listener to a client), gathered during a read batch and
/// sent as a single write with UDP generic segmentation offload (`UDP_SEGMENT`): the kernel
/// cuts them apart, so a run of N datagrams costs one trip through the socket layer instead
/// of N.
///
/// Linux only (``System/supportsUDPSegmentationOffload``); elsewhere every datagram is its own
/// write.
struct SegmentBatch {
    /// The most datagrams in one write (the kernel's limit is 64 segments, 64 KiB).
    static let maximumSegments = 32
    /// Whether this machine can segment.
    static let isSupported = System.supportsUDPSegmentationOffload

    let channel: any Channel
    let peer: STUNTransportAddress
    let address: SocketAddress
    let segmentSize: Int
    /// The first datagram, kept as the slice it arrived in: a batch of one copies nothing.
    private let first: ByteBuffer
    /// From the second datagram on, all of them, back to back.
    private var joined: ByteBuffer?
    private(set) var count = 1

    /// Starts a batch with its first datagram.
    init(channel: any Channel, peer: STUNTransportAddress, address: SocketAddress, first: ByteBuffer) {
        self.channel = channel
        self.peer = peer
        self.address = address
        self.segmentSize = first.readableBytes
        self.first = first
    }

    /// Whether a datagram of `payloadSize` to `peer` through `channel` can join the batch.
    func accepts(_ payloadSize: Int, to peer: STUNTransportAddress, through channel: any Channel) -> Bool {
        self.count < Self.maximumSegments && payloadSize == self.segmentSize && peer == self.peer && channel === self.channel
    }

    /// Adds one datagram's payload.
    mutating func append(_ payload: ByteBuffer) {
        if self.joined == nil {
            var joined = self.channel.allocator.buffer(capacity: self.segmentSize * Self.maximumSegments)
            joined.writeImmutableBuffer(self.first)
            self.joined = joined
        }
        self.joined?.writeImmutableBuffer(payload)
        self.count += 1
    }

    /// Writes the batch (not flushed): one datagram as it is, several as one segmented write.
    func write() {
        guard let joined = self.joined else {
            self.channel.write(AddressedEnvelope(remoteAddress: self.address, data: self.first), promise: nil)
            return
        }
        let metadata = AddressedEnvelope<ByteBuffer>.Metadata(
            ecnState: .transportNotCapable, packetInfo: nil, segmentSize: self.segmentSize)
        self.channel.write(AddressedEnvelope(remoteAddress: self.address, data: joined, metadata: metadata), promise: nil)
    }
}
