/// Runs many ``ControlSession``s over one epoll loop, with a bounded number in flight.
///
/// Sessions start in order as others finish, so `maxInFlight` requests are outstanding at
/// most: a pipelined client that neither waits for each answer nor floods the server. Every
/// run ends by its deadline; sessions still running then fail with a timeout.
struct ControlDriver {
    /// What a run achieved.
    struct Summary: Sendable {
        /// Sessions that finished every request.
        var succeeded = 0
        /// Failure messages and how often each happened.
        var failures: [String: Int] = [:]
        /// Seconds from the first request to the last answer.
        var elapsed = 0.0

        /// The total number of failed sessions.
        var failed: Int { self.failures.values.reduce(0, +) }

        /// The most frequent failure, for an error line.
        var commonestFailure: String? { self.failures.max { $0.value < $1.value }?.key }
    }

    /// The credentials to sign with.
    var credentials: Credentials
    /// A realm that overrides the server's, or nil.
    var realm: String?
    /// The most sessions running at once.
    var maxInFlight: Int

    /// Runs `sessions` until all finish or `timeoutSeconds` pass.
    ///
    /// - Parameter progress: called about once a second with how many sessions finished.
    func run(_ sessions: [ControlSession], timeoutSeconds: Double,
             progress: (Int) -> Void = { _ in }) throws(BenchError) -> Summary {
        let poller = try Poller(capacity: 512)
        var summary = Summary()
        var buffer = [UInt8](repeating: 0, count: 2048)
        let start = BenchClock.now()
        let deadline = start &+ UInt64(timeoutSeconds * 1e9)
        var nextToStart = 0
        var running: [Int] = []
        var finished = 0
        var lastScan = start
        var lastProgress = start
        while finished < sessions.count {
            var now = BenchClock.now()
            while running.count < self.maxInFlight, nextToStart < sessions.count {
                try poller.add(sessions[nextToStart].socket.fd, tag: UInt64(nextToStart))
                sessions[nextToStart].start(now: now)
                running.append(nextToStart)
                nextToStart += 1
            }
            poller.wait(timeoutMilliseconds: 5) { tag in
                let session = sessions[Int(tag)]
                while let count = session.socket.receive(into: &buffer) {
                    buffer.withUnsafeBytes {
                        session.receive(UnsafeRawBufferPointer(rebasing: $0[0..<count]),
                                        credentials: self.credentials, realm: self.realm, now: now)
                    }
                }
            }
            now = BenchClock.now()
            let timedOut = now >= deadline
            if timedOut || now &- lastScan >= 20_000_000 || running.contains(where: { sessions[$0].state != .running }) {
                lastScan = now
                running.removeAll { index in
                    let session = sessions[index]
                    if session.state == .running { session.checkTimeout(now: now) }
                    switch session.state {
                    case .running where !timedOut, .idle:
                        return false
                    case .running:
                        summary.failures["timeout: run deadline passed", default: 0] += 1
                    case .done:
                        summary.succeeded += 1
                    case .failed(let message):
                        summary.failures[message, default: 0] += 1
                    }
                    poller.remove(session.socket.fd)
                    finished += 1
                    return true
                }
            }
            if timedOut {
                summary.failures["timeout: never started before the deadline", default: 0] += sessions.count - nextToStart
                break
            }
            if now &- lastProgress >= 1_000_000_000 {
                lastProgress = now
                progress(finished)
            }
        }
        summary.elapsed = BenchClock.seconds(from: start, to: BenchClock.now())
        return summary
    }
}
