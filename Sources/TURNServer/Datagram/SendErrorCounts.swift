#if canImport(Glibc)
import Glibc
#endif
import TURNMetrics

/// Datagrams a relay loop could not send, by errno: plain counters on the data path, added
/// to `turn_send_errors_total{errno}` once a second.
///
/// The label set is bounded: the errnos a UDP send meets in practice (a full socket buffer,
/// an egress firewall or full conntrack table, prohibit and blackhole routes, unreachable
/// networks, a segmented write the device refuses) and `other`.
struct SendErrorCounts {
    /// Every label, in counter order.
    static let labels = [
        "EAGAIN", "ENOBUFS", "EPERM", "EACCES", "EINVAL", "ENETUNREACH", "EHOSTUNREACH",
        "ECONNREFUSED", "EMSGSIZE", "EIO", "EAFNOSUPPORT", "EBADF", "other",
    ]
    private static let codes: [CInt] = [
        EAGAIN, ENOBUFS, EPERM, EACCES, EINVAL, ENETUNREACH, EHOSTUNREACH,
        ECONNREFUSED, EMSGSIZE, EIO, EAFNOSUPPORT, EBADF,
    ]

    private var counts = [Int](repeating: 0, count: Self.labels.count)
    private var pending = false

    /// Counts `datagrams` lost to `code`.
    mutating func record(_ code: CInt, datagrams: Int = 1) {
        let code = code == EWOULDBLOCK ? EAGAIN : code
        let index = Self.codes.firstIndex(of: code) ?? Self.labels.count - 1
        self.counts[index] &+= datagrams
        self.pending = true
    }

    /// The count for `label` since the last flush (tests).
    func count(_ label: String) -> Int {
        Self.labels.firstIndex(of: label).map { self.counts[$0] } ?? 0
    }

    /// Adds the counts to `metrics` and starts again from zero.
    mutating func flush(into metrics: RelayMetrics) {
        guard self.pending else { return }
        for (index, label) in Self.labels.enumerated() where self.counts[index] > 0 {
            metrics.sendErrors(errno: label, count: self.counts[index])
            self.counts[index] = 0
        }
        self.pending = false
    }
}
