#if canImport(Glibc)
import Glibc
#endif

/// Datagrams an outbox could not send, by errno: plain counters on the data path, which the
/// relay adds to `turn_send_errors_total{errno}` once a second.
///
/// The label set is bounded: the errnos a UDP send meets in practice (a full socket buffer,
/// an egress firewall or full conntrack table, prohibit and blackhole routes, unreachable
/// networks, a segmented write the device refuses) and `other`.
package struct SendErrorCounts {
    /// No errors yet.
    package init() {}

    /// Every label, in counter order.
    package static let labels = [
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
    package mutating func record(_ code: CInt, datagrams: Int = 1) {
        let code = code == EWOULDBLOCK ? EAGAIN : code
        let index = Self.codes.firstIndex(of: code) ?? Self.labels.count - 1
        self.counts[index] &+= datagrams
        self.pending = true
    }

    /// The count for `label` since the last flush (tests).
    package func count(_ label: String) -> Int {
        Self.labels.firstIndex(of: label).map { self.counts[$0] } ?? 0
    }

    /// Hands each non-zero count to `report` with its label and starts again from zero.
    package mutating func drain(_ report: (String, Int) -> Void) {
        guard self.pending else { return }
        for (index, label) in Self.labels.enumerated() where self.counts[index] > 0 {
            report(label, self.counts[index])
            self.counts[index] = 0
        }
        self.pending = false
    }
}
