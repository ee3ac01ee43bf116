/// coturn's Redis key schema, so a coturn fleet and TurnGate nodes can share one Redis.
///
/// User database (coturn `turndb/schema.userdb.redis`, and what coturn 4.6.1's `turnadmin`
/// writes, checked here against a private redis-server):
/// - `turn/realm/<realm>/secret`: a SET of REST shared secrets (`turnadmin -s`);
/// - `turn/realm/<realm>/user/<user>/key`: a STRING, the hex long-term key
///   MD5(user:realm:password) (`turnadmin -a`);
/// - `turn/realm/<realm>/user/<user>/password`: a STRING, a plaintext password (Redis only;
///   coturn reads it when no `/key` exists);
/// - `turn/realm/<realm>/user-quota`, `total-quota`, `max-bps`: STRING realm options
///   (`turnadmin -g`).
///
/// Statistics (coturn `turndb/schema.stats.redis`, `turn_report_allocation_set`,
/// `turn_report_allocation_delete` and `turn_report_session_usage` in
/// `src/apps/relay/ns_ioalib_engine_impl.c`): `turn/realm/<realm>/user/<user>/allocation/<id>/`
/// followed by `status`, `traffic` or `total_traffic`, where `<id>` is the session id printed
/// with `%018llu`; without a realm the prefix is `turn/user/<user>/allocation/<id>/`.
///
/// Names are inserted verbatim (commands are binary-safe, so nothing needs escaping); a realm or
/// user containing `/` would make keys ambiguous, as it does in coturn.
public enum CoturnRedisKeys {
    /// The SET of REST API shared secrets of `realm`.
    public static func sharedSecrets(realm: String) -> String { "turn/realm/\(realm)/secret" }

    /// The hex long-term key of `user` in `realm`.
    public static func userKey(realm: String, user: String) -> String { "turn/realm/\(realm)/user/\(user)/key" }

    /// The plaintext password of `user` in `realm`.
    public static func userPassword(realm: String, user: String) -> String {
        "turn/realm/\(realm)/user/\(user)/password"
    }

    /// A realm option such as `user-quota`.
    public static func realmOption(realm: String, option: CoturnRealmOptions.Option) -> String {
        "turn/realm/\(realm)/\(option.rawValue)"
    }

    /// The prefix of an allocation's statistics keys (no trailing slash).
    ///
    /// - Parameters:
    ///   - realm: The realm; empty or `nil` gives coturn's realm-less form.
    ///   - user: The username as sent by the client.
    ///   - allocationID: The allocation's numeric id, printed as 18 zero-padded digits.
    public static func allocation(realm: String?, user: String, allocationID: UInt64) -> String {
        let id = Self.formatAllocationID(allocationID)
        if let realm, !realm.isEmpty { return "turn/realm/\(realm)/user/\(user)/allocation/\(id)" }
        return "turn/user/\(user)/allocation/\(id)"
    }

    /// An allocation id as coturn prints it: `%018llu`.
    public static func formatAllocationID(_ id: UInt64) -> String {
        let digits = String(id)
        return digits.count >= 18 ? digits : String(repeating: "0", count: 18 - digits.count) + digits
    }
}
