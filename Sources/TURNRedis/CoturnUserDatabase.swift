/// Reads coturn's user database from Redis: shared secrets, users' keys or passwords, and realm
/// options (``CoturnRedisKeys``).
///
/// This is the `CredentialProvider` backend for a cluster whose credentials live in Redis, and it
/// reads keys written by coturn's own `turnadmin`, so coturn and TurnGate nodes can share them.
public struct CoturnUserDatabase: Sendable {
    /// The client used for lookups.
    public let client: RedisClient

    /// Creates a reader.
    ///
    /// - Parameter client: The Redis client (its `redis-userdb` connection).
    public init(client: RedisClient) { self.client = client }

    /// The REST API shared secrets of `realm` (`SMEMBERS turn/realm/<realm>/secret`).
    ///
    /// coturn 4.6's `turnadmin -s SECRET -r REALM` adds to that SET; every member is a valid
    /// secret (rotation). The order is Redis's and not meaningful.
    ///
    /// - Parameter realm: The realm.
    /// - Returns: The secrets; empty when none are stored.
    /// - Throws: ``RedisError``; ``RedisError/Code/serverError`` if the key has another type.
    public func sharedSecrets(realm: String) async throws -> [String] {
        let key = CoturnRedisKeys.sharedSecrets(realm: realm)
        let reply = try await self.client.command(["SMEMBERS", key])
        if let message = reply.errorMessage { throw RedisError(.serverError, "SMEMBERS \(key): \(message)") }
        guard let members = reply.array else { throw RedisError(.unexpectedReply, "SMEMBERS \(key): not an array") }
        return try members.map { member throws(RedisError) -> String in
            guard let text = member.text else {
                throw RedisError(.unexpectedReply, "SMEMBERS \(key): a member is not a string")
            }
            return text
        }
    }

    /// The long-term credential of `user` in `realm`, as coturn's `redis_get_user_key` finds it:
    /// the hex key first, then the plaintext password.
    ///
    /// - Parameters:
    ///   - user: The username.
    ///   - realm: The realm.
    /// - Returns: The credential, or `nil` if neither key exists.
    /// - Throws: ``RedisError``; ``RedisError/Code/unexpectedReply`` for a key that is not 32 or
    ///   64 hex digits (coturn logs and refuses such a user too).
    public func userCredential(user: String, realm: String) async throws -> CoturnUserCredential? {
        let keyName = CoturnRedisKeys.userKey(realm: realm, user: user)
        if let hex = try await self.string(at: keyName) {
            guard let key = CoturnHex.decode(hex), key.count == 16 || key.count == 32 else {
                throw RedisError(.unexpectedReply, "\(keyName) is not a hex MD5 or SHA-256 key")
            }
            return .key(key)
        }
        let passwordName = CoturnRedisKeys.userPassword(realm: realm, user: user)
        if let password = try await self.string(at: passwordName) {
            return .password(password)
        }
        return nil
    }

    /// The realm's `user-quota`, `total-quota` and `max-bps`, read in one `MGET`.
    ///
    /// - Parameter realm: The realm.
    /// - Returns: The options; a missing or non-numeric value is `nil`.
    /// - Throws: ``RedisError``.
    public func realmOptions(realm: String) async throws -> CoturnRealmOptions {
        let options = CoturnRealmOptions.Option.allCases
        let reply = try await self.client.command(
            ["MGET"] + options.map { CoturnRedisKeys.realmOption(realm: realm, option: $0) })
        if let message = reply.errorMessage { throw RedisError(.serverError, "MGET realm options: \(message)") }
        guard let values = reply.array, values.count == options.count else {
            throw RedisError(.unexpectedReply, "MGET realm options: wrong reply shape")
        }
        var result = CoturnRealmOptions()
        for (option, value) in zip(options, values) {
            let number = value.text.flatMap { Int($0.trimmingCharacters()) }
            switch option {
            case .userQuota: result.userQuota = number
            case .totalQuota: result.totalQuota = number
            case .maxBPS: result.maxBPS = number
            }
        }
        return result
    }

    /// GET, treating a missing key as `nil` and anything but a string as an error.
    private func string(at key: String) async throws -> String? {
        let reply = try await self.client.command(["GET", key])
        switch reply {
        case .null: return nil
        case .string(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .error(let message): throw RedisError(.serverError, "GET \(key): \(message)")
        default: throw RedisError(.unexpectedReply, "GET \(key): not a string")
        }
    }
}

extension String {
    fileprivate func trimmingCharacters() -> String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
