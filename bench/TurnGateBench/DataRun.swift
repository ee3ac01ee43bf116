/// The flood, rate and latency modes: set up flows, drive them on worker threads, report.
struct DataRun {
    /// The mode's name for the report.
    var mode: String
    /// The shared options.
    var options: CommonOptions
    /// Datagrams per second per flow on each leg, or nil to flood.
    var ratePerFlow: Double?

    /// Seconds after sending stops during which late datagrams still count.
    static let drainSeconds = 1.0

    /// Runs the mode and returns its report.
    func execute() throws(BenchError) -> BenchReport {
        let framing = self.options.framing.framing
        let peerBind = try self.options.peerEndpoint()
        let setup = AllocationSetup(
            server: try self.options.serverEndpoint(), clientAddress: try self.options.clientEndpoint(), framing: framing,
            driver: ControlDriver(credentials: self.options.credentials, realm: self.options.realm,
                                  maxInFlight: self.options.inFlight))
        let count = self.options.allocations
        var peers: [UDPSocket] = []
        var sessions: [ControlSession] = []
        defer {
            setup.teardown(sessions)
            peers.forEach { $0.close() }
        }
        var peerEndpoints: [IPv4Endpoint] = []
        for _ in 0..<count {
            let peer = try UDPSocket.open(bindTo: peerBind, bufferBytes: AllocationSetup.dataBufferBytes)
            peers.append(peer)
            peerEndpoints.append(try peer.localEndpoint())
        }
        let clients = try setup.openClients(count, bufferBytes: AllocationSetup.dataBufferBytes)
        sessions = zip(clients, peerEndpoints).map { ControlSession(socket: $0, requests: setup.requests(peer: $1)) }
        let setupSummary = try setup.establish(sessions, what: "\(count) allocations")
        var flows: [FlowSpec] = []
        for (index, session) in sessions.enumerated() {
            guard let relayed = session.relayed else { throw BenchError("allocation \(index) has no relayed address") }
            try peers[index].connect(to: relayed)
            let template = framing.clientTemplate(size: self.options.size, peer: peerEndpoints[index])
            flows.append(FlowSpec(
                index: UInt32(index), client: session.socket, peer: peers[index],
                clientTemplate: template.bytes, clientPayloadOffset: template.payloadOffset,
                peerTemplate: [UInt8](repeating: 0, count: self.options.size)))
        }
        let threads = self.options.threadCount(flows: flows.count)
        let start = BenchClock.now() &+ 100_000_000
        let sendUntil = start &+ UInt64(self.options.duration * 1e9)
        let live = LiveCounters()
        let progress = ProgressLine(live: live, label: self.mode)
        let processCPUStart = BenchClock.processCPU()
        let plans = (0..<threads).map { thread in
            DataPathWorker.Plan(
                flows: stride(from: thread, to: flows.count, by: threads).map { flows[$0] },
                ratePerFlow: self.ratePerFlow, start: start, sendUntil: sendUntil,
                drainUntil: sendUntil &+ UInt64(Self.drainSeconds * 1e9), framing: framing,
                segmentation: !self.options.noGSO)
        }
        let results = ThreadRunner.run(count: threads) { index -> Result<DataPathWorker.Result, BenchError> in
            Result { () throws(BenchError) -> DataPathWorker.Result in try DataPathWorker(plan: plans[index], live: live).run() }
        }
        progress.stop()
        let processCPU = BenchClock.processCPU() &- processCPUStart
        var merged = DataPathWorker.Result()
        for result in results {
            let worker = try result.get()
            merged.clientToPeer.merge(worker.clientToPeer)
            merged.peerToClient.merge(worker.peerToClient)
            merged.cpuNanoseconds += worker.cpuNanoseconds
            merged.laggingIterations += worker.laggingIterations
            merged.iterations += worker.iterations
        }
        return BenchReport.data(
            mode: self.mode, options: self.options, threads: threads, result: merged,
            requestedPerLeg: self.ratePerFlow.map { $0 * Double(count) * self.options.duration },
            processCPUNanoseconds: processCPU, setupSeconds: setupSummary.elapsed)
    }
}
