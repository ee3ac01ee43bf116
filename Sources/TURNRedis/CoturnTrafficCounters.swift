/// Packet and byte counts of one allocation, in coturn's statsdb message format.
public struct CoturnTrafficCounters: Sendable, Hashable {
    /// Packets received from the client.
    public var receivedPackets: UInt64
    /// Bytes received from the client.
    public var receivedBytes: UInt64
    /// Packets sent to the client.
    public var sentPackets: UInt64
    /// Bytes sent to the client.
    public var sentBytes: UInt64

    /// Creates counters.
    public init(receivedPackets: UInt64, receivedBytes: UInt64, sentPackets: UInt64, sentBytes: UInt64) {
        self.receivedPackets = receivedPackets
        self.receivedBytes = receivedBytes
        self.sentPackets = sentPackets
        self.sentBytes = sentBytes
    }

    /// `rcvp=N, rcvb=N, sentp=N, sentb=N`: coturn's `"rcvp=%lu, rcvb=%lu, sentp=%lu, sentb=%lu"`
    /// (`turn_report_session_usage`, `src/apps/relay/ns_ioalib_engine_impl.c`).
    public var coturnMessage: String {
        "rcvp=\(self.receivedPackets), rcvb=\(self.receivedBytes), sentp=\(self.sentPackets), sentb=\(self.sentBytes)"
    }
}
