import CSQLite
import Glibc

/// coturn's SQLite user database: the file `userdb` names, as `turnadmin -b` writes it.
///
/// Read-only use of coturn's schema (`init_sqlite_database` in coturn's `dbd_sqlite.c`): the
/// long-term users of a realm with their hex HMAC keys (`turnusers_lt`) and the realm's REST
/// API shared secrets (`turn_secret`). Every query binds its parameters; no text reaches SQL.
/// The other tables (admin users, origins, realm options, peer ranges, OAuth keys) are not
/// read.
package enum CoturnSQLiteUserDatabase {
    /// What the file holds for one realm.
    package struct Contents: Sendable, Hashable {
        /// Each user's name and hex key, as stored.
        package var users: [User]
        /// The shared secrets.
        package var secrets: [String]
    }

    /// One row of `turnusers_lt`.
    package struct User: Sendable, Hashable {
        package var name: String
        package var hexKey: String
    }

    /// The most rows read from one table; a larger file is read up to it.
    package static let maximumRows = 100_000

    /// coturn's schema, run on a file that is new, as coturn does when `userdb` names a file that
    /// does not exist. `IF NOT EXISTS`, so it never touches a table that is there.
    static let schema = [
        "CREATE TABLE IF NOT EXISTS turnusers_lt (realm varchar(127) default '', name varchar(512), hmackey char(128), PRIMARY KEY (realm,name))",
        "CREATE TABLE IF NOT EXISTS turn_secret (realm varchar(127) default '', value varchar(127), primary key (realm,value))",
        "CREATE TABLE IF NOT EXISTS allowed_peer_ip (realm varchar(127) default '', ip_range varchar(256), primary key (realm,ip_range))",
        "CREATE TABLE IF NOT EXISTS denied_peer_ip (realm varchar(127) default '', ip_range varchar(256), primary key (realm,ip_range))",
        "CREATE TABLE IF NOT EXISTS turn_origin_to_realm (origin varchar(127),realm varchar(127),primary key (origin))",
        "CREATE TABLE IF NOT EXISTS turn_realm_option (realm varchar(127) default '', opt varchar(32), value varchar(128), primary key (realm,opt))",
        "CREATE TABLE IF NOT EXISTS oauth_key (kid varchar(128),ikm_key varchar(256),timestamp bigint default 0,lifetime integer default 0,"
            + "as_rs_alg varchar(64) default '',realm varchar(127) default '',primary key (kid))",
        "CREATE TABLE IF NOT EXISTS admin_user (name varchar(32), realm varchar(127), password varchar(127), primary key (name))",
    ]

    /// Whether the file at `path` is an SQLite database (its 16-byte header), as opposed to
    /// TurnGate's earlier text format; false when it cannot be read.
    package static func isDatabase(at path: String) -> Bool {
        guard let file = fopen(path, "rb") else { return false }
        defer { fclose(file) }
        var header = [UInt8](repeating: 0, count: 16)
        guard fread(&header, 1, 16, file) == 16 else { return false }
        return header == Array("SQLite format 3\0".utf8)
    }

    /// Creates an empty database with coturn's schema at `path`.
    ///
    /// - Throws: ``SQLiteError`` when the file cannot be created or written.
    package static func create(at path: String) throws(SQLiteError) {
        let connection = try Connection(path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        for statement in Self.schema {
            try connection.execute(statement)
        }
    }

    /// The users and secrets of `realm`.
    ///
    /// - Throws: ``SQLiteError`` when the file cannot be opened or is not coturn's schema.
    package static func read(at path: String, realm: String) throws(SQLiteError) -> Contents {
        let connection = try Connection(path: path, flags: SQLITE_OPEN_READONLY)
        let users = try connection.rows("SELECT name, hmackey FROM turnusers_lt WHERE realm = ?1 ORDER BY name", binding: realm, columns: 2)
            .map { User(name: $0[0], hexKey: $0[1]) }
        let secrets = try connection.rows("SELECT value FROM turn_secret WHERE realm = ?1 ORDER BY value", binding: realm, columns: 1)
            .map { $0[0] }
        return Contents(users: users, secrets: secrets)
    }
}
