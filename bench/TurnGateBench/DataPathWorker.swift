/// One data-path thread: paces sends on its share of the flows and receives both legs.
///
/// Each loop iteration works out how many datagrams every flow owes on each leg (all of a
/// burst in flood mode), writes them into a ``DatagramBatch`` and hands the batch to the kernel
/// with one `sendmmsg` (or, where the kernel allows, one UDP GSO `sendmsg`, which the kernel
/// splits back into the same datagrams); then it drains every ready socket with `recvmmsg`. One thread owns its
/// sockets outright, so there are no locks on the data path.
final class DataPathWorker {
    /// What a worker is asked to do.
    struct Plan: Sendable {
        /// The flows this worker owns.
        var flows: [FlowSpec]
        /// Datagrams per second per flow on each leg, or nil to send as fast as possible.
        var ratePerFlow: Double?
        /// When sending starts (``BenchClock/now()``).
        var start: UInt64
        /// When sending stops.
        var sendUntil: UInt64
        /// When receiving stops, whatever is still in flight.
        var drainUntil: UInt64
        /// The framing clients use.
        var framing: Framing
        /// Whether to send same-size runs as UDP GSO super-datagrams (falls back by itself).
        var segmentation: Bool
    }

    /// What a worker reports when done.
    struct Result: Sendable {
        /// The client→peer leg.
        var clientToPeer = LegStats()
        /// The peer→client leg.
        var peerToClient = LegStats()
        /// CPU time this thread used, nanoseconds.
        var cpuNanoseconds: UInt64 = 0
        /// Iterations in which some flow was more than a whole batch behind its pace.
        var laggingIterations = 0
        /// All iterations.
        var iterations = 0
    }

    /// Datagrams per flow per leg in one flood iteration.
    static let floodBurst = 16
    /// The longest a paced worker sleeps between checks, nanoseconds.
    static let maximumSleep: UInt64 = 1_000_000
    /// The shortest interval between two paced send rounds, nanoseconds: at high rates each
    /// round then carries several datagrams per `sendmmsg` instead of one.
    static let pacedTick: UInt64 = 200_000

    private let plan: Plan
    private let live: LiveCounters
    private let outgoing = DatagramBatch(capacity: 64)
    private let incoming = DatagramBatch(capacity: 64)
    private var clientAttempts: [Int]
    private var peerAttempts: [Int]
    private var sequence: UInt64 = 0
    private var segmentation: Bool
    private var result = Result()

    /// Creates a worker for `plan` that reports progress into `live`.
    init(plan: Plan, live: LiveCounters) {
        self.plan = plan
        self.live = live
        self.segmentation = plan.segmentation
        self.clientAttempts = Array(repeating: 0, count: plan.flows.count)
        self.peerAttempts = Array(repeating: 0, count: plan.flows.count)
    }

    /// Runs until the plan's drain deadline and returns the figures.
    func run() throws(BenchError) -> Result {
        let poller = try Poller(capacity: 256)
        for (position, flow) in self.plan.flows.enumerated() {
            try poller.add(flow.client.fd, tag: UInt64(position) << 1)
            try poller.add(flow.peer.fd, tag: UInt64(position) << 1 | 1)
        }
        let cpuStart = BenchClock.threadCPU()
        var nextRound = self.plan.start
        while true {
            let now = BenchClock.now()
            if now >= self.plan.drainUntil { break }
            if now >= nextRound, now >= self.plan.start, now < self.plan.sendUntil {
                let untilDue = self.sendDue(now: now)
                nextRound = self.plan.ratePerFlow == nil || untilDue == 0 ? now : now &+ max(Self.pacedTick, untilDue)
            } else if now >= self.plan.sendUntil {
                if self.allReceived { break }
                nextRound = now &+ Self.maximumSleep
            }
            let timeout = nextRound > now ? min(nextRound - now, Self.maximumSleep) : 0
            poller.wait(timeoutNanoseconds: timeout) { tag in self.drain(tag: tag) }
            self.result.iterations += 1
        }
        self.result.cpuNanoseconds = BenchClock.threadCPU() &- cpuStart
        return self.result
    }

    private var allReceived: Bool {
        self.result.clientToPeer.received >= self.result.clientToPeer.sent
            && self.result.peerToClient.received >= self.result.peerToClient.sent
    }

    /// Sends what every flow owes now on both legs.
    ///
    /// - Returns: nanoseconds until the next datagram is due (0 when flooding or behind).
    private func sendDue(now: UInt64) -> UInt64 {
        var target = 0
        var sleep: UInt64 = 0
        if let rate = self.plan.ratePerFlow {
            let elapsed = BenchClock.seconds(from: self.plan.start, to: now)
            target = Int(rate * elapsed)
            let nextDue = Double(target + 1) / rate - elapsed
            sleep = min(Self.maximumSleep, UInt64(max(0, nextDue) * 1e9))
        }
        var lagging = false
        var clientTotal = 0
        var peerTotal = 0
        for position in self.plan.flows.indices {
            let flow = self.plan.flows[position]
            let clientDue = self.due(target: target, attempted: self.clientAttempts[position], lagging: &lagging)
            if clientDue > 0 {
                let sent = self.send(clientDue, of: flow.clientTemplate, payloadOffset: flow.clientPayloadOffset,
                                     flow: flow.index, on: flow.client)
                self.clientAttempts[position] += clientDue
                self.result.clientToPeer.sent += sent
                self.result.clientToPeer.refused += clientDue - sent
                clientTotal += sent
            }
            let peerDue = self.due(target: target, attempted: self.peerAttempts[position], lagging: &lagging)
            if peerDue > 0 {
                let sent = self.send(peerDue, of: flow.peerTemplate, payloadOffset: 0, flow: flow.index, on: flow.peer)
                self.peerAttempts[position] += peerDue
                self.result.peerToClient.sent += sent
                self.result.peerToClient.refused += peerDue - sent
                peerTotal += sent
            }
        }
        if lagging { self.result.laggingIterations += 1 }
        self.live.clientSent.add(clientTotal, ordering: .relaxed)
        self.live.peerSent.add(peerTotal, ordering: .relaxed)
        return lagging ? 0 : sleep
    }

    private func due(target: Int, attempted: Int, lagging: inout Bool) -> Int {
        guard self.plan.ratePerFlow != nil else { return Self.floodBurst }
        let owed = target - attempted
        if owed > self.outgoing.capacity { lagging = true }
        return min(max(owed, 0), self.outgoing.capacity)
    }

    private func send(_ count: Int, of template: [UInt8], payloadOffset: Int, flow: UInt32, on socket: UDPSocket) -> Int {
        let stamp = BenchClock.now()
        template.withUnsafeBytes { bytes in
            for _ in 0..<count {
                self.sequence &+= 1
                let sequence = self.sequence
                self.outgoing.append(bytes) { slot in
                    Payload.write(to: slot + payloadOffset, flow: flow, sequence: sequence, sentAt: stamp)
                }
            }
        }
        if self.segmentation, count > 1 {
            if let sent = self.outgoing.flushSegmented(on: socket.fd, segmentSize: template.count) { return sent }
            self.segmentation = false
        }
        return self.outgoing.flush(on: socket.fd)
    }

    /// Receives everything waiting on one socket (bounded to a few batches per wake-up).
    private func drain(tag: UInt64) {
        let position = Int(tag >> 1)
        let isPeer = tag & 1 == 1
        let flow = self.plan.flows[position]
        let fd = isPeer ? flow.peer.fd : flow.client.fd
        var received = 0
        for _ in 0..<8 {
            let count = self.incoming.receive(on: fd)
            guard count > 0 else { break }
            let now = BenchClock.now()
            for index in 0..<count {
                let datagram = self.incoming.datagram(index)
                let payload = isPeer ? datagram : self.plan.framing.payload(in: datagram)
                guard let payload, let sentAt = Payload.sentAt(in: payload) else {
                    if isPeer { self.result.clientToPeer.foreign += 1 } else { self.result.peerToClient.foreign += 1 }
                    continue
                }
                let latency = now > sentAt ? now - sentAt : 0
                if isPeer {
                    _ = self.result.clientToPeer.latency.record(latency)
                } else {
                    _ = self.result.peerToClient.latency.record(latency)
                }
                received += 1
            }
            if count < self.incoming.capacity { break }
        }
        if isPeer {
            self.result.clientToPeer.received += received
            self.live.peerReceived.add(received, ordering: .relaxed)
        } else {
            self.result.peerToClient.received += received
            self.live.clientReceived.add(received, ordering: .relaxed)
        }
    }
}
