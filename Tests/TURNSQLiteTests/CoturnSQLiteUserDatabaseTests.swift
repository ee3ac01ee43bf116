import CSQLite
import Foundation
import Testing
import TURNSQLite

/// coturn's SQLite user database, on files of the test's own in a temporary directory.
struct CoturnSQLiteUserDatabaseTests {
    private let directory: URL

    init() throws {
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("turngate-sqlite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
    }

    private func path(_ name: String) -> String { self.directory.appendingPathComponent(name).path }

    /// Writes rows as `turnadmin -b` does, through SQLite itself.
    private func execute(_ sql: String, on path: String) throws {
        var handle: OpaquePointer?
        defer { sqlite3_close_v2(handle) }
        try #require(sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK)
        try #require(sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK)
    }

    @Test func createsAnEmptyDatabaseWithCoturnsSchema() throws {
        let file = self.path("turndb")
        try CoturnSQLiteUserDatabase.create(at: file)
        #expect(CoturnSQLiteUserDatabase.isDatabase(at: file))
        let contents = try CoturnSQLiteUserDatabase.read(at: file, realm: "example.org")
        #expect(contents.users.isEmpty && contents.secrets.isEmpty)
        try self.execute("INSERT INTO admin_user VALUES ('a', 'r', 'p'); INSERT INTO turn_realm_option VALUES ('r', 'max-bps', '1')", on: file)
    }

    @Test func readsTheUsersAndSecretsOfOneRealm() throws {
        let file = self.path("turndb")
        try CoturnSQLiteUserDatabase.create(at: file)
        try self.execute(
            """
            INSERT INTO turnusers_lt VALUES ('example.org', 'bob', 'a41e5dcd4b1f9d5b3b8c4b26f2c1e7d0');
            INSERT INTO turnusers_lt VALUES ('example.org', 'alice', '0123456789abcdef0123456789abcdef');
            INSERT INTO turnusers_lt VALUES ('other.org', 'mallory', 'ffffffffffffffffffffffffffffffff');
            INSERT INTO turn_secret VALUES ('example.org', 'secret-2'), ('example.org', 'secret-1'), ('other.org', 'theirs');
            """, on: file)
        let contents = try CoturnSQLiteUserDatabase.read(at: file, realm: "example.org")
        #expect(contents.users.map(\.name) == ["alice", "bob"])
        #expect(contents.users.first?.hexKey == "0123456789abcdef0123456789abcdef")
        #expect(contents.secrets == ["secret-1", "secret-2"])
    }

    @Test func bindsTheRealmInsteadOfWritingItIntoSQL() throws {
        let file = self.path("turndb")
        try CoturnSQLiteUserDatabase.create(at: file)
        try self.execute("INSERT INTO turn_secret VALUES ('x'' OR ''1''=''1', 'quoted')", on: file)
        #expect(try CoturnSQLiteUserDatabase.read(at: file, realm: "x' OR '1'='1").secrets == ["quoted"])
        #expect(try CoturnSQLiteUserDatabase.read(at: file, realm: "' OR '1'='1").secrets.isEmpty)
    }

    @Test func createKeepsWhatAnExistingDatabaseHolds() throws {
        let file = self.path("turndb")
        try CoturnSQLiteUserDatabase.create(at: file)
        try self.execute("INSERT INTO turn_secret VALUES ('r', 'kept')", on: file)
        try CoturnSQLiteUserDatabase.create(at: file)
        #expect(try CoturnSQLiteUserDatabase.read(at: file, realm: "r").secrets == ["kept"])
    }

    @Test func tellsATextFileOrAMissingFileFromADatabase() throws {
        let text = self.path("users.txt")
        try "alice:password\n".write(toFile: text, atomically: true, encoding: .utf8)
        #expect(!CoturnSQLiteUserDatabase.isDatabase(at: text))
        #expect(!CoturnSQLiteUserDatabase.isDatabase(at: self.path("missing")))
        #expect(throws: SQLiteError.self) { try CoturnSQLiteUserDatabase.read(at: text, realm: "r") }
        #expect(throws: SQLiteError.self) { try CoturnSQLiteUserDatabase.read(at: self.path("missing"), realm: "r") }
    }

    @Test func refusesADatabaseWithoutCoturnsTables() throws {
        let file = self.path("other.db")
        var handle: OpaquePointer?
        try #require(sqlite3_open_v2(file, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK)
        sqlite3_exec(handle, "CREATE TABLE unrelated (x)", nil, nil, nil)
        sqlite3_close_v2(handle)
        let error = try #require(throws: SQLiteError.self) { try CoturnSQLiteUserDatabase.read(at: file, realm: "r") }
        #expect(error.description.contains("turnusers_lt"))
    }
}
