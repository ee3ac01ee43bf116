public import Foundation
public import STUNWire

/// The users a relay accepts: static users and REST shared secrets, both at once if configured.
///
/// Static users are coturn's `user=name:password` and `user=name:0x<key>` (``UserEntry``). REST
/// users are checked statelessly: a name `<expiry><separator><user>` (coturn's
/// `rest-api-separator`) has the password `base64(HMAC-SHA1(secret, name))` under any of the
/// configured secrets (coturn's `static-auth-secret`, which may repeat so secrets can rotate);
/// see ``RESTCredential``. Keys are derived per RFC 8489 Section 9.2.2. A name that is a static
/// user is looked up as that user only. Unlike coturn, TurnGate accepts static users and REST
/// secrets together. The description never shows a secret.
public struct CredentialStore: Sendable, CustomStringConvertible {
    private let users: [String: UserEntry.Credential]
    private let restSecrets: [CredentialSecret]
    let restSeparator: Character

    /// Creates a store.
    ///
    /// - Parameters:
    ///   - users: static users; when a name repeats, the last entry wins.
    ///   - restSecrets: the REST shared secrets, all tried; empty disables REST users.
    ///   - restSeparator: between expiry and user in a REST name; coturn's default is `:`.
    public init(users: [UserEntry] = [], restSecrets: [CredentialSecret] = [], restSeparator: Character = ":") {
        var table: [String: UserEntry.Credential] = [:]
        for entry in users {
            table[entry.name] = entry.credential
        }
        self.users = table
        self.restSecrets = restSecrets
        self.restSeparator = restSeparator
    }

    /// The names of the static users, which USERHASH can find (RFC 8489 Section 14.4).
    public var staticUsernames: [String] { Array(self.users.keys) }

    /// The keys that may have signed a request from `username`.
    ///
    /// - Parameters:
    ///   - username: the USERNAME, or the name a USERHASH resolved to.
    ///   - realm: the server's realm.
    ///   - algorithm: the PASSWORD-ALGORITHM (MD5 when the request had none).
    /// - Returns: the keys with the grant (for a static user, its name; for a REST user, the
    ///   ``CredentialGrant`` after the expiry, whose user is the whole name when empty) and the
    ///   REST expiry, or ``CredentialLookup/unknown`` (also for a REST name with malformed grants).
    public func candidateKeys(username: String, realm: String, algorithm: PasswordAlgorithm) -> CredentialLookup {
        if let credential = self.users[username] {
            switch credential {
            case .password(let password):
                let key = LongTermKey.key(for: algorithm, username: username, realm: realm, password: password.text)
                return .keys(key.map { [$0] } ?? [], grant: CredentialGrant(user: username), expiry: nil)
            case .md5Key(let key):
                return .keys(algorithm.number == PasswordAlgorithm.md5.number ? [key.bytes] : [], grant: CredentialGrant(user: username), expiry: nil)
            }
        }
        guard !self.restSecrets.isEmpty,
            let parsed = RESTCredential.parse(username: username, separator: self.restSeparator),
            var grant = CredentialGrant(decoding: parsed.user)
        else { return .unknown }
        if grant.user.isEmpty { grant.user = username }
        let keys = self.restSecrets.compactMap { secret in
            LongTermKey.key(
                for: algorithm,
                username: username,
                realm: realm,
                password: RESTCredential.password(for: username, secret: secret.text)
            )
        }
        return .keys(keys, grant: grant, expiry: parsed.expiry)
    }

    public var description: String {
        "CredentialStore(\(self.users.count) static users, \(self.restSecrets.count) REST secrets: <redacted>)"
    }
}
