public import CoreMetrics

/// Every metric the relay records, created once from an injected factory.
///
/// Names follow coturn's where coturn has the metric (`stun_binding_request`,
/// `stun_binding_response`, `stun_binding_error`, `turn_total_traffic_*`), so existing
/// dashboards keep working; traffic counters advance per packet, not when a session ends.
/// Dimensions come from bounded sets fixed at creation (method, error code, reason,
/// direction): never a username, address or port.
public struct RelayMetrics: Sendable {
    /// Which way relayed data went.
    public enum Direction: String, Sendable, CaseIterable {
        /// From the client to a peer.
        case clientToPeer = "client_to_peer"
        /// From a peer to the client.
        case peerToClient = "peer_to_client"
    }

    /// The STUN/TURN methods counted by name; others count as `other`.
    public static let methods: [UInt16: String] = [
        0x001: "binding", 0x003: "allocate", 0x004: "refresh", 0x008: "create_permission", 0x009: "channel_bind",
        0x00A: "connect", 0x00B: "connection_bind",
    ]

    /// What happened to a TCP relay connection (RFC 6062), counted in `turn_tcp_connections_total{event}`.
    public enum TCPConnectionEvent: String, Sendable, CaseIterable {
        /// A Connect reached its peer.
        case connected
        /// A Connect failed or timed out (447).
        case connectFailed = "connect_failed"
        /// A peer connected to a relayed address and was accepted.
        case accepted
        /// A peer connected without a permission (or past the cap) and was closed.
        case refused
        /// A connection was closed because no ConnectionBind came within 30 s.
        case bindTimeout = "bind_timeout"
    }

    private let bindingRequests: Counter
    private let bindingResponses: Counter
    private let bindingErrors: Counter
    private let responses: [String: [String: Counter]]
    /// The counters each ignore reason increments: its own, and for the challenge limiter's
    /// drops coturn 4.17's `turn_unauthenticated_401_requests` and `_dropped_responses` too.
    private let ignoredMessages: [String: [Counter]]
    /// coturn 4.17's 401 counters: requests that called for a 401, and 401s sent.
    private let unauthenticatedRequests: Counter
    private let unauthenticatedResponses: Counter
    private let peerSentPackets: Counter
    private let peerSentBytes: Counter
    private let peerReceivedPackets: Counter
    private let peerReceivedBytes: Counter
    private let clientReceivedPackets: Counter
    private let clientReceivedBytes: Counter
    private let clientSentPackets: Counter
    private let clientSentBytes: Counter
    private let packetsProcessed: Counter
    private let packetsDropped: Counter
    private let authFailures: [String: Counter]
    private let refusals: [String: Counter]
    private let allocationDurations: CoreMetrics.Timer
    private let relayLatencies: CoreMetrics.Timer
    private let activeAllocations: Meter
    private let challengeBucketsOccupied: Meter
    private let challengeBucketsTotal: Gauge
    private let allocationsByType: [String: Meter]
    private let createdAllocations: Counter
    private let streamFramingErrors: Counter
    private let bandwidthDrops: [Direction: Counter]
    private let tcpConnections: [TCPConnectionEvent: Counter]
    let streamRefusalCounters: [StreamRefusal: Counter]
    private let sendErrorCounters: [String: Counter]
    private let engines: [String: Meter]
    private let engineReceiveErrorCounter: Counter
    private let engineBufferShortageCounter: Counter
    private let engineCompletionOverflowCounter: Counter

    /// Creates every metric with `factory`.
    ///
    /// - Parameters:
    ///   - factory: the metrics backend (the executable passes its backend; tests pass `TestMetrics`).
    ///   - ignoreReasons: the bounded set of reasons a message may be ignored for.
    ///   - errorCodes: the bounded set of error codes responses are counted by.
    ///   - authFailureReasons: the bounded set of reasons authentication fails for.
    ///   - refusalReasons: the bounded set of policy reasons (quota, peer policy, revocation...).
    ///   - sendErrorLabels: the bounded set of errno names a datagram send is counted by.
    ///   - engineBackends: the backends a UDP engine may run with.
    public init(
        factory: any MetricsFactory,
        ignoreReasons: [String],
        errorCodes: [UInt16],
        authFailureReasons: [String] = [],
        refusalReasons: [String] = [],
        sendErrorLabels: [String] = [],
        engineBackends: [String] = []
    ) {
        self.bindingRequests = Counter(label: "stun_binding_request", factory: factory)
        self.bindingResponses = Counter(label: "stun_binding_response", factory: factory)
        self.bindingErrors = Counter(label: "stun_binding_error", factory: factory)
        let outcomes = ["success"] + errorCodes.map(String.init) + ["other_error"]
        var responses: [String: [String: Counter]] = [:]
        for method in Array(Self.methods.values) + ["other"] {
            responses[method] = Dictionary(uniqueKeysWithValues: outcomes.map { outcome in
                (outcome, Counter(label: "turn_requests_total", dimensions: [("method", method), ("outcome", outcome)], factory: factory))
            })
        }
        self.responses = responses
        let unauthenticatedRequests = Counter(label: "turn_unauthenticated_401_requests", factory: factory)
        let unauthenticatedDropped = Counter(label: "turn_unauthenticated_401_dropped_responses", factory: factory)
        self.ignoredMessages = Dictionary(uniqueKeysWithValues: ignoreReasons.map { reason in
            let own = Counter(label: "turn_ignored_messages_total", dimensions: [("reason", reason)], factory: factory)
            return (reason, reason == Self.challengeLimitedReason ? [own, unauthenticatedRequests, unauthenticatedDropped] : [own])
        })
        self.unauthenticatedRequests = unauthenticatedRequests
        self.unauthenticatedResponses = Counter(label: "turn_unauthenticated_401_responses", factory: factory)
        self.peerSentPackets = Counter(label: "turn_total_traffic_peer_sentp", factory: factory)
        self.peerSentBytes = Counter(label: "turn_total_traffic_peer_sentb", factory: factory)
        self.peerReceivedPackets = Counter(label: "turn_total_traffic_peer_rcvp", factory: factory)
        self.peerReceivedBytes = Counter(label: "turn_total_traffic_peer_rcvb", factory: factory)
        self.clientReceivedPackets = Counter(label: "turn_total_traffic_rcvp", factory: factory)
        self.clientReceivedBytes = Counter(label: "turn_total_traffic_rcvb", factory: factory)
        self.clientSentPackets = Counter(label: "turn_total_traffic_sentp", factory: factory)
        self.clientSentBytes = Counter(label: "turn_total_traffic_sentb", factory: factory)
        self.packetsProcessed = Counter(label: "turn_packet_processed", factory: factory)
        self.packetsDropped = Counter(label: "turn_packet_dropped", factory: factory)
        self.authFailures = Dictionary(uniqueKeysWithValues: authFailureReasons.map { reason in
            (reason, Counter(label: "turn_auth_failures_total", dimensions: [("reason", reason)], factory: factory))
        })
        self.refusals = Dictionary(uniqueKeysWithValues: refusalReasons.map { reason in
            (reason, Counter(label: "turn_refusals_total", dimensions: [("reason", reason)], factory: factory))
        })
        self.allocationDurations = CoreMetrics.Timer(label: "turn_allocation_duration_seconds", preferredDisplayUnit: .seconds, factory: factory)
        self.relayLatencies = CoreMetrics.Timer(label: "turn_relay_latency_seconds", preferredDisplayUnit: .seconds, factory: factory)
        self.activeAllocations = Meter(label: "turn_allocations_active", factory: factory)
        self.challengeBucketsOccupied = Meter(label: "turn_ratelimit_occupied_buckets", factory: factory)
        self.challengeBucketsTotal = Gauge(label: "turn_ratelimit_total_buckets", factory: factory)
        self.allocationsByType = Dictionary(uniqueKeysWithValues: Self.clientTransports.map { type in
            (type, Meter(label: "turn_total_allocations", dimensions: [("type", type)], factory: factory))
        })
        self.createdAllocations = Counter(label: "turn_allocations_created_total", factory: factory)
        self.streamFramingErrors = Counter(label: "turn_stream_framing_errors_total", factory: factory)
        self.bandwidthDrops = Dictionary(uniqueKeysWithValues: Direction.allCases.map { direction in
            (direction, Counter(label: "turn_bandwidth_drops_total", dimensions: [("direction", direction.rawValue)], factory: factory))
        })
        self.tcpConnections = Dictionary(uniqueKeysWithValues: TCPConnectionEvent.allCases.map { event in
            (event, Counter(label: "turn_tcp_connections_total", dimensions: [("event", event.rawValue)], factory: factory))
        })
        self.streamRefusalCounters = Dictionary(uniqueKeysWithValues: StreamRefusal.allCases.map { reason in
            (reason, Counter(label: "turn_stream_refusals_total", dimensions: [("reason", reason.rawValue)], factory: factory))
        })
        self.sendErrorCounters = Dictionary(uniqueKeysWithValues: sendErrorLabels.map { label in
            (label, Counter(label: "turn_send_errors_total", dimensions: [("errno", label)], factory: factory))
        })
        self.engines = Dictionary(uniqueKeysWithValues: engineBackends.map { backend in
            (backend, Meter(label: "turn_relay_engines", dimensions: [("backend", backend)], factory: factory))
        })
        self.engineReceiveErrorCounter = Counter(label: "turn_engine_receive_errors_total", factory: factory)
        self.engineBufferShortageCounter = Counter(label: "turn_engine_buffer_shortages_total", factory: factory)
        self.engineCompletionOverflowCounter = Counter(label: "turn_engine_completion_overflows_total", factory: factory)
    }

    /// `count` datagrams could not be sent and were dropped, with `errno` (a name from the
    /// bounded set given at creation). The socket stays open: a send error is per datagram.
    public func sendErrors(errno: String, count: Int) {
        self.sendErrorCounters[errno]?.increment(by: Int64(count))
        self.packetsDropped.increment(by: Int64(count))
    }

    /// A packet was dropped because it exceeded `max-bps` or `bps-capacity`.
    public func bandwidthDrop(_ direction: Direction) {
        self.bandwidthDrops[direction]?.increment()
        self.packetsDropped.increment()
    }

    /// A request was refused for a reason operators watch: an authentication failure
    /// (`turn_auth_failures_total{reason}`) or a policy (`turn_refusals_total{reason}`).
    public func refused(_ reason: String, authentication: Bool) {
        (authentication ? self.authFailures[reason] : self.refusals[reason])?.increment()
    }

    /// A response was sent to a request of `method`; `errorCode` is nil for success.
    public func response(method: UInt16, errorCode: UInt16?) {
        let name = Self.methods[method] ?? "other"
        let outcome = errorCode.map(String.init) ?? "success"
        (self.responses[name]?[outcome] ?? self.responses[name]?["other_error"])?.increment()
        self.packetsProcessed.increment()
        if errorCode == 401 {
            self.unauthenticatedRequests.increment()
            self.unauthenticatedResponses.increment()
        }
        if method == 0x001 {
            self.bindingRequests.increment()
            if errorCode == nil { self.bindingResponses.increment() } else { self.bindingErrors.increment() }
        }
    }

    /// `count` messages were ignored (reasons outside the bounded set are not counted).
    public func ignored(reason: String, count: Int = 1) {
        for counter in self.ignoredMessages[reason] ?? [] {
            counter.increment(by: Int64(count))
        }
        self.packetsDropped.increment(by: Int64(count))
    }

    /// The ignore reason of a request dropped by the challenge limiter (`TURNIgnoreReason`).
    static let challengeLimitedReason = "challenge_limited"

    /// A UDP engine started with `backend` (`turn_relay_engines{backend}`, a gauge).
    public func engineStarted(backend: String) {
        self.engines[backend]?.increment()
    }

    /// A UDP engine stopped.
    public func engineStopped(backend: String) {
        self.engines[backend]?.decrement()
    }

    /// Receive errors a UDP engine met (ICMP errors reported on relay sockets, among others);
    /// no socket closes for them.
    public func engineReceiveErrors(_ count: Int) {
        self.engineReceiveErrorCounter.increment(by: Int64(count))
    }

    /// Times a UDP engine's shared receive buffers ran out; the socket was read again once
    /// buffers came back (datagrams wait in the socket meanwhile).
    public func engineBufferShortages(_ count: Int) {
        self.engineBufferShortageCounter.increment(by: Int64(count))
    }

    /// Times a UDP engine's io_uring completion queue was full, so completions waited in the
    /// kernel until the engine took them (nothing is lost; the queue is too small for the load).
    public func engineCompletionOverflows(_ count: Int) {
        self.engineCompletionOverflowCounter.increment(by: Int64(count))
    }

    /// One packet of `bytes` application bytes was relayed: received from one side and sent to
    /// the other, so both coturn counters of the direction advance (`turn_total_traffic_rcvp`
    /// and `turn_total_traffic_peer_sentp` from client to peer; `turn_total_traffic_peer_rcvp`
    /// and `turn_total_traffic_sentp` from peer to client).
    public func relayed(_ direction: Direction, bytes: Int) {
        self.relayed(direction, packets: 1, bytes: bytes)
    }

    /// `packets` packets of `bytes` application bytes in all were relayed (a loop's batch).
    public func relayed(_ direction: Direction, packets: Int, bytes: Int) {
        switch direction {
        case .clientToPeer:
            self.clientReceivedPackets.increment(by: packets)
            self.clientReceivedBytes.increment(by: bytes)
            self.peerSentPackets.increment(by: packets)
            self.peerSentBytes.increment(by: bytes)
        case .peerToClient:
            self.peerReceivedPackets.increment(by: packets)
            self.peerReceivedBytes.increment(by: bytes)
            self.clientSentPackets.increment(by: packets)
            self.clientSentBytes.increment(by: bytes)
        }
        self.packetsProcessed.increment(by: packets)
    }

    /// The client transports `turn_total_allocations{type}` is split by, as coturn names them
    /// (TLS connections count as TCP).
    public static let clientTransports = ["UDP", "TCP"]

    /// An allocation's relay socket was opened for a client on `clientTransport` (`UDP` or `TCP`).
    ///
    /// `turn_total_allocations{type}` is coturn's gauge of the allocations that exist now;
    /// `turn_allocations_created_total` counts every one, for rates.
    /// The challenge limiters' buckets (coturn's `turn_ratelimit_total_buckets`): 0 when the
    /// limit is off.
    public func challengeBuckets(total: Int) {
        self.challengeBucketsTotal.record(total)
    }

    /// One loop's count of buckets holding a recently challenged source changed by `delta`
    /// (`turn_ratelimit_occupied_buckets` sums every loop's).
    public func challengeBucketsOccupied(changedBy delta: Int) {
        if delta > 0 { self.challengeBucketsOccupied.increment(by: Double(delta)) }
        if delta < 0 { self.challengeBucketsOccupied.decrement(by: Double(-delta)) }
    }

    public func allocationOpened(clientTransport: String) {
        self.activeAllocations.increment()
        self.allocationsByType[clientTransport]?.increment()
        self.createdAllocations.increment()
    }

    /// The oldest packet of a relayed batch spent `latency` in the relay, from its read to the
    /// flush of its write (`turn_relay_latency_seconds`, one value per batch, not per packet).
    public func relayLatency(_ latency: Duration) {
        self.record(self.relayLatencies, latency)
    }

    /// An allocation's relay socket was closed after `lifetime`.
    public func allocationClosed(after lifetime: Duration, clientTransport: String) {
        self.activeAllocations.decrement()
        self.allocationsByType[clientTransport]?.decrement()
        self.record(self.allocationDurations, lifetime)
    }

    private func record(_ timer: CoreMetrics.Timer, _ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        timer.recordNanoseconds(seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000)
    }

    /// A TCP relay connection (RFC 6062) was opened, refused, failed or timed out.
    public func tcpConnection(_ event: TCPConnectionEvent) { self.tcpConnections[event]?.increment() }

    /// A stream connection was closed because its framing was broken.
    public func streamFramingError() { self.streamFramingErrors.increment() }
}
