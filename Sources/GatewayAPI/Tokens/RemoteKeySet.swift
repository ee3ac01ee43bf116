import Foundation
import Logging
import Synchronization

/// The keys of a JWKS URL: fetched at start, cached, and fetched again when a token names an
/// unknown `kid`, at most once per cool-down however many requests ask.
final class RemoteKeySet: Sendable {
    private struct State {
        var keys: [VerificationKey] = []
        var lastAttempt: Date?
    }

    private let url: URL
    private let fetcher: any JWKSFetcher
    private let cooldown: TimeInterval
    private let metrics: GatewayMetrics
    private let logger: Logger
    private let state = Mutex(State())

    init(url: URL, fetcher: any JWKSFetcher, cooldownSeconds: Int, metrics: GatewayMetrics, logger: Logger) {
        self.url = url
        self.fetcher = fetcher
        self.cooldown = TimeInterval(cooldownSeconds)
        self.metrics = metrics
        self.logger = logger
    }

    /// The cached keys.
    var keys: [VerificationKey] { self.state.withLock { $0.keys } }

    /// Fetches the document again unless the last attempt was within the cool-down; returns
    /// whether a fetch replaced the keys.
    @discardableResult
    func refresh(now: Date) async -> Bool {
        let due = self.state.withLock { state in
            if let last = state.lastAttempt, now.timeIntervalSince(last) < self.cooldown, now >= last { return false }
            state.lastAttempt = now
            return true
        }
        guard due else {
            self.metrics.jwksFetch(.cooldown)
            return false
        }
        do {
            let data = try await self.fetcher.fetch(self.url)
            let loaded = try await KeyLoader.jwksKeys(data, origin: .jwksURL)
            self.state.withLock { $0.keys = loaded.keys }
            self.metrics.jwksFetch(.success)
            self.logger.info(
                "JWKS fetched", metadata: ["turn.jwks.keys": "\(loaded.keys.count)", "turn.jwks.skipped": "\(loaded.skipped)"])
            return true
        } catch {
            self.metrics.jwksFetch(.failure)
            self.logger.warning("JWKS fetch failed", metadata: ["turn.error": "\(error)"])
            return false
        }
    }
}
