import DatagramEngine
import Foundation
import Logging
import NIOCore
import Synchronization
import STUNWire
import TURNAuth
import TURNCore
import TURNMetrics

/// Everything the relay does on one thread: the processor with this thread's allocations,
/// their relay sockets, and the data path in both directions.
///
/// The processor's allocation table is the only one: each allocation's ``RelayEndpoint``
/// (relay sockets, client link, bandwidth buckets, traffic totals) is stored in its record.
/// This file holds the loop's state, flushing, the expiry timer and shutdown; the control
/// path, allocations, the data path and TCP allocations have a file each.
///
/// A relay loop runs either on a ``DatagramEngine`` (UDP clients: the engine's listener
/// sockets and the relay sockets it opens for them) or on a NIO event loop (TCP and TLS
/// clients, whose UDP relay sockets NIO reads). Confined to its thread: the listeners,
/// connections and relay sockets of this thread call it directly, so relaying takes no lock
/// and no thread hop. Per packet it does dictionary lookups and copies the datagram (with its
/// ChannelData header or Data indication, towards a UDP client) into the thread's
/// ``DatagramOutbox``, sent at the end of the batch; UDP relaying allocates nothing per
/// packet, and no send error closes a socket.
final class RelayLoop {
    let eventLoop: any EventLoop
    /// The UDP engine this loop runs on; nil on a NIO event loop.
    let engine: DatagramEngine?
    var processor: TURNRequestProcessor
    let pool: RelayPortPool
    let metrics: RelayMetrics
    let logger: Logger
    /// What every loop shares about TCP allocations (RFC 6062).
    let tcpShared: TCPRelayShared
    private var channelsToFlush: [any Channel] = []
    /// Every UDP datagram this loop sends, gathered until the batch ends (the engine's own).
    let outbox: DatagramOutbox
    var indicationCounter: UInt64
    private var expiryTask: Scheduled<Void>?
    var serverToPeers: TokenBucket?
    var serverToClients: TokenBucket?
    /// The cluster's view of allocations (Redis), when one is configured.
    let observer: (any AllocationObserver)?
    /// The store behind the credentials, asked about a user or secret the relay lacks.
    let credentialMisses: (any CredentialMissResolver)?
    /// Requests held back while ``credentialMisses`` is asked.
    var deferredRequests = 0
    /// This loop's UDP listener sockets by local address: where a Binding response under RFC
    /// 5780 CHANGE-REQUEST goes out from.
    var listenerSenders: [STUNTransportAddress: DatagramSender] = [:]
    /// Allocation ids for the cluster, unique in the process; they start at a random point so
    /// that the nodes of a cluster do not reuse each other's ids.
    private static let allocationIDs = Atomic<UInt64>(UInt64.random(in: 0..<100_000_000_000_000_000))
    private var expiryTicks = 0
    /// When the oldest packet relayed since the last flush arrived.
    var batchStart: ContinuousClock.Instant?
    /// Relayed traffic not yet added to the metrics: plain counters on the data path, added to
    /// the shared (atomic) metrics once a second, so the counters stay live at no per-packet cost.
    var traffic = LoopTraffic()
    /// This loop's share of `turn_ratelimit_occupied_buckets` last reported.
    private var occupiedChallengeBuckets = 0

    /// Creates the relay of one event loop.
    ///
    /// - Parameter loopCount: how many loops share `bps-capacity`; each enforces its share.
    init(
        eventLoop: any EventLoop,
        engine: DatagramEngine? = nil,
        processor: TURNRequestProcessor,
        pool: RelayPortPool,
        metrics: RelayMetrics,
        logger: Logger,
        loopCount: Int = 1,
        tcpShared: TCPRelayShared = TCPRelayShared(),
        observer: (any AllocationObserver)? = nil,
        credentialMisses: (any CredentialMissResolver)? = nil
    ) {
        self.observer = observer
        self.credentialMisses = credentialMisses
        self.eventLoop = eventLoop
        self.engine = engine
        self.outbox = engine?.outbox ?? DatagramOutbox()
        self.tcpShared = tcpShared
        self.processor = processor
        let share = processor.configuration.serverBandwidth.map { max(1, $0 / max(1, loopCount)) }
        self.serverToPeers = share.map { TokenBucket(bytesPerSecond: $0, now: .now) }
        self.serverToClients = share.map { TokenBucket(bytesPerSecond: $0, now: .now) }
        self.pool = pool
        self.metrics = metrics
        self.logger = logger
        self.indicationCounter = UInt64.random(in: .min ... .max)
        self.channelsToFlush.reserveCapacity(64)
    }

    /// A new allocation id for the cluster.
    static func nextAllocationID() -> UInt64 {
        Self.allocationIDs.wrappingAdd(1, ordering: .relaxed).newValue
    }

    // MARK: Flushing, expiry, shutdown

    /// Remembers `channel` to be flushed when the current read batch ends.
    func scheduleFlush(_ channel: any Channel) {
        if self.channelsToFlush.contains(where: { $0 === channel }) { return }
        self.channelsToFlush.append(channel)
    }

    /// Sends the outbox's datagrams, then flushes every connection written to since the last
    /// flush. Records how long the oldest relayed packet of the batch waited in TurnGate (one
    /// value per batch). On an engine, the engine sends the outbox itself when its turn ends
    /// (with io_uring, a send in the middle of a turn would hold the outbox until the next).
    func flush() {
        if self.engine == nil { self.outbox.flush() }
        for channel in self.channelsToFlush {
            channel.flush()
        }
        self.channelsToFlush.removeAll(keepingCapacity: true)
        if let start = self.batchStart {
            self.metrics.relayLatency(ContinuousClock.now - start)
            self.batchStart = nil
        }
    }

    /// Starts the once-a-second sweep of expired allocations, permissions and channels, and of
    /// allocations whose credentials were revoked.
    func startExpiryTimer() {
        self.expiryTask = self.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) {
            self.traffic.flush(into: self.metrics)
            self.outbox.errors.flush(into: self.metrics)
            if let engine = self.engine { self.metrics.engineDrops(engine.takeCounters()) }
            self.closeRelays(self.processor.expire(now: .now))
            self.closeRelays(self.processor.endRevoked(date: Date()))
            self.reportChallengeBuckets()
            self.reportTraffic()
            self.startExpiryTimer()
        }
    }

    /// Applies a reloaded configuration: later requests are decided with `configuration` and
    /// `authenticator`; live allocations keep their relay sockets and bandwidth buckets.
    func reconfigure(_ configuration: RelayConfiguration, authenticator: LongTermAuthenticator, loopCount: Int) {
        if configuration.serverBandwidth != self.processor.configuration.serverBandwidth {
            let share = configuration.serverBandwidth.map { max(1, $0 / max(1, loopCount)) }
            self.serverToPeers = share.map { TokenBucket(bytesPerSecond: $0, now: .now) }
            self.serverToClients = share.map { TokenBucket(bytesPerSecond: $0, now: .now) }
        }
        self.processor.configuration = configuration
        self.processor.authenticator = authenticator
    }

    /// Adds the change in this loop's occupied challenge buckets to the node's total.
    private func reportChallengeBuckets() {
        let occupied = self.processor.occupiedChallengeBuckets(now: .now)
        self.metrics.challengeBucketsOccupied(changedBy: occupied - self.occupiedChallengeBuckets)
        self.occupiedChallengeBuckets = occupied
    }

    /// How often interim traffic totals go to the cluster, in expiry ticks (seconds).
    static let trafficReportInterval = 10

    /// Every ``trafficReportInterval`` ticks, each live allocation's traffic since its last
    /// report to the cluster (coturn's statsdb reports intervals, not running totals).
    private func reportTraffic() {
        guard let observer = self.observer else { return }
        self.expiryTicks &+= 1
        guard self.expiryTicks % Self.trafficReportInterval == 0 else { return }
        for endpoint in self.processor.endpoints.compactMap(RelayEndpoint.of) {
            if let observed = endpoint.observed, let interval = endpoint.trafficSinceLastReport() {
                observer.trafficUpdated(observed, traffic: interval)
            }
        }
    }

    /// Authenticates later requests with `authenticator`.
    func replaceAuthenticator(_ authenticator: LongTermAuthenticator) {
        self.processor.authenticator = authenticator
    }

    /// Deletes every allocation whose credential `matches`; returns how many.
    func end(where matches: (String, CredentialGrant) -> Bool) -> Int {
        let actions = self.processor.end(where: matches)
        self.closeRelays(actions)
        return actions.count
    }

    /// Deletes every allocation and stops the timer.
    func shutdown() {
        self.expiryTask?.cancel()
        self.expiryTask = nil
        self.closeRelays(self.processor.removeAll())
        self.traffic.flush(into: self.metrics)
        self.outbox.errors.flush(into: self.metrics)
    }
}
