import DatagramEngine
import Logging
import NIOCore
import TURNAuth
import TURNCore
import TURNMetrics

/// One ``RelayLoop`` per thread that relays: each UDP engine (UDP clients) and each event
/// loop of the NIO group (TCP and TLS clients), found by the loop a channel runs on.
///
/// Each value is bound to its thread; handlers look theirs up once, when their channel is
/// initialised on that loop.
final class RelayLoopRegistry: Sendable {
    private let loops: [ObjectIdentifier: NIOLoopBound<RelayLoop>]
    /// The relay loops that run on UDP engines, in engine order.
    let engineLoops: [NIOLoopBound<RelayLoop>]

    private init(loops: [ObjectIdentifier: NIOLoopBound<RelayLoop>], engineLoops: [NIOLoopBound<RelayLoop>]) {
        self.loops = loops
        self.engineLoops = engineLoops
    }

    /// Creates a relay loop on every event loop of `group` and on every engine, each with its
    /// own processor.
    static func make(
        group: any EventLoopGroup,
        engines: [DatagramEngine] = [],
        processor: TURNRequestProcessor,
        pool: RelayPortPool,
        metrics: RelayMetrics,
        logger: Logger,
        observer: (any AllocationObserver)? = nil,
        credentialMisses: (any CredentialMissResolver)? = nil
    ) async throws -> RelayLoopRegistry {
        var loops: [ObjectIdentifier: NIOLoopBound<RelayLoop>] = [:]
        var engineLoops: [NIOLoopBound<RelayLoop>] = []
        let engineEventLoops = engines.map(EngineEventLoop.init)
        let eventLoops: [any EventLoop] = engineEventLoops + Array(group.makeIterator())
        let tcpShared = TCPRelayShared()
        for eventLoop in eventLoops {
            let engine = (eventLoop as? EngineEventLoop)?.engine
            let bound = try await eventLoop.submit {
                let loop = RelayLoop(
                    eventLoop: eventLoop,
                    engine: engine,
                    processor: processor,
                    pool: pool,
                    metrics: metrics,
                    logger: logger,
                    loopCount: eventLoops.count,
                    tcpShared: tcpShared,
                    observer: observer,
                    credentialMisses: credentialMisses
                )
                loop.startExpiryTimer()
                engine?.turnEnded = { loop.flush() }
                return NIOLoopBound(loop, eventLoop: eventLoop)
            }.get()
            loops[ObjectIdentifier(eventLoop)] = bound
            if engine != nil { engineLoops.append(bound) }
        }
        Self.reportChallengeBuckets(processor.configuration, loops: loops.count, metrics: metrics)
        return RelayLoopRegistry(loops: loops, engineLoops: engineLoops)
    }

    /// The relay loop of `eventLoop`; call on that event loop.
    func loop(for eventLoop: any EventLoop) -> RelayLoop? {
        self.loops[ObjectIdentifier(eventLoop)]?.value
    }

    /// The live allocations of every loop.
    func summaries() async -> [AllocationSummary] {
        var all: [AllocationSummary] = []
        for bound in self.loops.values {
            all += (try? await bound.eventLoop.submit { bound.value.processor.summaries(now: .now) }.get()) ?? []
        }
        return all
    }

    /// Deletes, on every loop, the allocations whose credential `matches`; returns how many.
    func end(where matches: @escaping @Sendable (String, CredentialGrant) -> Bool) async -> Int {
        var ended = 0
        for bound in self.loops.values {
            ended += (try? await bound.eventLoop.submit { bound.value.end(where: matches) }.get()) ?? 0
        }
        return ended
    }

    /// The challenge limiters' buckets: every loop has its own table.
    private static func reportChallengeBuckets(_ configuration: RelayConfiguration, loops: Int, metrics: RelayMetrics) {
        metrics.challengeBuckets(total: configuration.challengeRate > 0 ? ChallengeLimiter.slotCount * loops : 0)
    }

    /// Applies a reloaded relay configuration and authenticator on every loop.
    func reconfigure(_ configuration: RelayConfiguration, authenticator: LongTermAuthenticator, metrics: RelayMetrics) async {
        let count = self.loops.count
        Self.reportChallengeBuckets(configuration, loops: count, metrics: metrics)
        for bound in self.loops.values {
            try? await bound.eventLoop.submit {
                bound.value.reconfigure(configuration, authenticator: authenticator, loopCount: count)
            }.get()
        }
    }

    /// Replaces the credential store of every loop's authenticator, keeping its realm, nonce
    /// issuer and password algorithms.
    func replaceCredentials(_ store: CredentialStore) async {
        for bound in self.loops.values {
            try? await bound.eventLoop.submit {
                bound.value.replaceAuthenticator(bound.value.processor.authenticator.replacingStore(store))
            }.get()
        }
    }

    /// Deletes every allocation on every loop.
    func shutdown() async {
        for bound in self.loops.values {
            try? await bound.eventLoop.submit { bound.value.shutdown() }.get()
        }
    }
}
