import Foundation
import Logging
import Synchronization

/// The keys of a JWKS URL: fetched at start, every ``refreshInterval`` by
/// ``JWKSRefreshService``, and again when a token names an unknown `kid` (or a token without
/// `kid` finds no key that verifies it), at most once per cool-down however many requests ask.
///
/// A fetch that fails, or yields no usable key, keeps the keys already cached.
final class RemoteKeySet: Sendable {
    private struct State {
        var keys: [VerificationKey] = []
        var lastAttempt: Date?
    }

    /// How often the document is fetched when no token asks for it.
    static let refreshInterval: Duration = .seconds(600)

    /// The URL fetched.
    let url: URL
    /// The cool-down, in seconds.
    let cooldownSeconds: Int
    private let fetcher: any JWKSFetcher
    private let cooldown: TimeInterval
    private let metrics: GatewayMetrics
    private let logger: Logger
    private let state = Mutex(State())

    init(url: URL, fetcher: any JWKSFetcher, cooldownSeconds: Int, metrics: GatewayMetrics, logger: Logger) {
        self.url = url
        self.cooldownSeconds = cooldownSeconds
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
            let loaded = try await KeyLoader.jwksKeys(data)
            guard !loaded.keys.isEmpty else {
                self.metrics.jwksFetch(.failure)
                self.logger.warning(
                    "JWKS fetch yielded no usable key; the cached keys stay",
                    metadata: ["turn.jwks.skipped": "\(loaded.skipped)"])
                return false
            }
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
