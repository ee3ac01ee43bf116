import Logging
import Synchronization
import TURNAuth
import TURNRedis
import TURNServer

/// Keeps the relay's users and REST secrets in step with Redis (coturn's schema:
/// `turn/realm/<realm>/secret` and `turn/realm/<realm>/user/<name>/key` or `/password`, as
/// `turnadmin` writes them), merged with those of the configuration file.
///
/// Read every few seconds off the event loops; the relay authenticates from the last known
/// set, so a lost Redis does not stop authentication. After ``staleAfter`` without a
/// successful read, the Redis entries are dropped and only the file's remain.
final class RedisCredentialSync: Sendable {
    struct Base: Sendable {
        var users: [UserEntry]
        var secrets: [CredentialSecret]
        var separator: Character
    }

    let database: CoturnUserDatabase
    let realm: String
    let server: TURNServerService
    let metrics: ClusterMetrics
    let logger: Logger
    let base: Mutex<Base>
    /// The fingerprint last applied, the last successful read, and how many lookups of a
    /// single credential (``resolve(_:)``) have changed ``known``.
    let state = Mutex<(applied: [String]?, lastSuccess: ContinuousClock.Instant, lookups: Int)>((nil, .now, 0))
    /// The users and secrets of the last read (or none, once dropped as stale), with those
    /// found by lookups since.
    let known = Mutex<(secrets: [String], users: [UserEntry])>(([], []))
    /// Which credential misses are looked up in Redis.
    let missLimiter = Mutex(CredentialMissLimiter())
    let interval: Duration
    let staleAfter: Duration

    /// The most user keys read from Redis; more are ignored (and logged).
    static let maximumUsers = 100_000

    init(
        database: CoturnUserDatabase,
        realm: String,
        server: TURNServerService,
        base: Base,
        metrics: ClusterMetrics,
        logger: Logger,
        interval: Duration = .seconds(5),
        staleAfter: Duration = .seconds(600)
    ) {
        self.database = database
        self.realm = realm
        self.server = server
        self.base = Mutex(base)
        self.metrics = metrics
        self.logger = logger
        self.interval = interval
        self.staleAfter = staleAfter
    }

    /// The file's users and secrets changed (SIGHUP, `userdb`): merged in at the next read.
    func replaceBase(_ base: Base) {
        self.base.withLock { $0 = base }
        self.state.withLock { $0.applied = nil }
    }

    /// `base` merged with the Redis users and secrets last read: what a reload puts in force at
    /// once, so no Redis credential is refused between the reload and the next read.
    func store(with base: Base) -> CredentialStore {
        let (secrets, users) = self.known.withLock { $0 }
        return CredentialStore(users: base.users + users, restSecrets: base.secrets + secrets.map(CredentialSecret.init), restSeparator: base.separator)
    }

    /// Reads Redis until cancelled.
    func run() async {
        while !Task.isCancelled {
            await self.syncOnce()
            try? await Task.sleep(for: self.interval)
        }
    }

    /// The read before the listeners open, so Redis users and secrets work from the first
    /// request; gives up after `limit` (Redis slow or away) with a warning, and the periodic
    /// reads go on.
    func firstRead(within limit: Duration) async {
        if await result(within: limit, of: { await self.syncOnce() }) == nil {
            self.logger.warning("users and secrets not read from Redis within \(limit); serving with the file's until they are", metadata: [
                "turn.event": "redis_credentials_late",
            ])
        }
    }

    /// One read; applies the merged store when it changed.
    func syncOnce() async {
        let generation = self.state.withLock { $0.lookups }
        do {
            let secrets = try await self.database.sharedSecrets(realm: self.realm)
            let users = try await self.users()
            self.state.withLock { $0.lastSuccess = .now }
            // A lookup that learned a credential during this read wins; the next read has it.
            guard self.state.withLock({ $0.lookups == generation }) else { return }
            await self.apply(secrets: secrets, users: users)
        } catch {
            self.metrics.credentialSyncFailed()
            let stale = self.state.withLock { ContinuousClock.now - $0.lastSuccess > self.staleAfter }
            self.logger.warning("cannot read users and secrets from Redis; using the last known", metadata: [
                "turn.event": "redis_credentials_stale", "turn.error": "\(error)",
            ])
            if stale {
                self.logger.error("Redis users and secrets dropped after \(self.staleAfter) without Redis", metadata: [
                    "turn.event": "redis_credentials_dropped",
                ])
                await self.apply(secrets: [], users: [])
            }
        }
    }

    private func apply(secrets: [String], users: [UserEntry]) async {
        let fingerprint = secrets.sorted() + users.map { "\($0.name)\u{0}\($0.credential.fingerprint)" }.sorted()
        guard self.state.withLock({ $0.applied != fingerprint }) else { return }
        self.known.withLock { $0 = (secrets, users) }
        await self.server.replaceCredentials(self.store(with: self.base.withLock { $0 }))
        self.state.withLock { $0.applied = fingerprint }
        self.logger.info("users and secrets from Redis applied", metadata: [
            "turn.event": "redis_credentials_applied", "turn.redis.users": "\(users.count)", "turn.redis.secrets": "\(secrets.count)",
        ])
    }

    /// Every user of the realm: SCAN for their keys, then read each.
    private func users() async throws -> [UserEntry] {
        let prefix = "turn/realm/\(self.realm)/user/"
        var names: Set<String> = []
        var cursor = "0"
        repeat {
            let reply = try await self.database.client.command(["SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000"])
            guard case .array(let parts) = reply, parts.count == 2, let next = parts[0].text, case .array(let keys) = parts[1] else {
                throw RedisError(.unexpectedReply, "SCAN answered \(reply)")
            }
            for key in keys.compactMap(\.text) where key.hasPrefix(prefix) {
                let rest = key.dropFirst(prefix.count)
                guard let slash = rest.lastIndex(of: "/") else { continue }
                names.insert(String(rest[..<slash]))
            }
            cursor = next
        } while cursor != "0" && names.count < Self.maximumUsers
        var entries: [UserEntry] = []
        for name in names.sorted() {
            if let credential = try await self.database.userCredential(user: name, realm: self.realm) {
                entries.append(UserEntry(name: name, stored: credential))
            }
        }
        return entries
    }
}

extension UserEntry {
    /// The entry of a user read from coturn's Redis schema.
    init(name: String, stored: CoturnUserCredential) {
        switch stored {
        case .key(let key): self.init(name: name, credential: .md5Key(CredentialSecret(bytes: key)))
        case .password(let password): self.init(name: name, credential: .password(CredentialSecret(password)))
        }
    }
}

extension UserEntry.Credential {
    /// A digest that tells whether a credential changed, without holding its text.
    var fingerprint: Int {
        switch self {
        case .password(let secret): secret.bytes.hashValue
        case .md5Key(let key): key.bytes.hashValue &+ 1
        }
    }
}
