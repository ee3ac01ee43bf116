/// The relay port range (`min-port`...`max-port`) and the ports an Allocate may take from it.
///
/// RFC 8656 Section 7.2: the relayed port is chosen from the range, even when EVEN-PORT asks
/// for it, and with EVEN-PORT's R bit the next port (odd, one higher) is reserved too, so the
/// pair must lie wholly in the range. The arithmetic is done in `Int`, so no range, not even
/// `65535...65535`, makes `port + 1` overflow, and a range with no qualifying port gives nil
/// at once (the Allocate gets 508) instead of a retry loop.
public struct RelayPortRange: Hashable, Sendable {
    /// The ports relay sockets bind to.
    public let ports: ClosedRange<UInt16>

    /// Creates the range.
    public init(_ ports: ClosedRange<UInt16>) {
        self.ports = ports
    }

    /// The number of relay ports in the range (what the default `total-quota` is derived from).
    public var count: Int { Int(self.ports.upperBound) - Int(self.ports.lowerBound) + 1 }

    /// Whether `port` is in the range.
    public func contains(_ port: UInt16) -> Bool { self.ports.contains(port) }

    /// The qualifying ports as `first`, `first + step`, ... (`count` of them), or nil when none.
    ///
    /// - Parameters:
    ///   - even: only even ports (EVEN-PORT).
    ///   - withNext: only ports whose successor is in the range too (the R bit).
    func candidates(even: Bool, withNext: Bool) -> (first: Int, step: Int, count: Int)? {
        let lower = Int(self.ports.lowerBound)
        let last = Int(self.ports.upperBound) - (withNext ? 1 : 0)
        let first = even ? lower + lower % 2 : lower
        guard first <= last else { return nil }
        let step = even ? 2 : 1
        return (first, step, (last - first) / step + 1)
    }

    /// The number of ports an Allocate may be given.
    public func candidateCount(even: Bool, withNext: Bool) -> Int {
        self.candidates(even: even, withNext: withNext)?.count ?? 0
    }

    /// A random port an Allocate may be given that `isFree` accepts (with the R bit, its
    /// successor too), or nil when the range holds none.
    ///
    /// Starts at a random candidate and takes the next ones in turn, so a range that is nearly
    /// full still yields its last free ports, in at most one pass over the range.
    ///
    /// - Parameters:
    ///   - even: only even ports (EVEN-PORT).
    ///   - withNext: only ports whose successor is in the range too (EVEN-PORT's R bit).
    ///   - generator: the source of randomness.
    ///   - isFree: whether a port is free (the ports this server holds are not).
    public func randomPort(
        even: Bool,
        withNext: Bool,
        using generator: inout some RandomNumberGenerator,
        isFree: (UInt16) -> Bool = { _ in true }
    ) -> UInt16? {
        guard let candidates = self.candidates(even: even, withNext: withNext) else { return nil }
        let start = Int.random(in: 0..<candidates.count, using: &generator)
        for offset in 0..<candidates.count {
            let index = (start + offset) % candidates.count
            guard let port = UInt16(exactly: candidates.first + index * candidates.step), isFree(port) else { continue }
            if withNext, let next = self.successor(of: port), !isFree(next) { continue }
            return port
        }
        return nil
    }

    /// The port after `port`, when it is in the range: the port EVEN-PORT's R bit reserves.
    public func successor(of port: UInt16) -> UInt16? {
        guard let next = UInt16(exactly: Int(port) + 1), self.ports.contains(next) else { return nil }
        return next
    }
}
