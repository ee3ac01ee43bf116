import CSQLite

/// Why the user database cannot be used: the file and SQLite's own message.
package struct SQLiteError: Error, CustomStringConvertible {
    package let description: String
}

extension CoturnSQLiteUserDatabase {
    /// One open database file, closed when released.
    final class Connection {
        private let handle: OpaquePointer
        private let path: String

        /// How long a read waits for a writer (`turnadmin`) to finish, in milliseconds.
        static let busyTimeout: Int32 = 2000

        init(path: String, flags: Int32) throws(SQLiteError) {
            var handle: OpaquePointer?
            let status = sqlite3_open_v2(path, &handle, flags, nil)
            guard status == SQLITE_OK, let handle else {
                let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
                sqlite3_close_v2(handle)
                throw SQLiteError(description: "\(path): \(message)")
            }
            sqlite3_busy_timeout(handle, Self.busyTimeout)
            self.handle = handle
            self.path = path
        }

        deinit {
            sqlite3_close_v2(self.handle)
        }

        /// Runs a statement that returns no rows.
        func execute(_ sql: String) throws(SQLiteError) {
            guard sqlite3_exec(self.handle, sql, nil, nil, nil) == SQLITE_OK else { throw self.error() }
        }

        /// The rows of a query with one text parameter, each as `columns` strings (NULL as "").
        func rows(_ sql: String, binding parameter: String, columns: Int32) throws(SQLiteError) -> [[String]] {
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(self.handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else { throw self.error() }
            defer { sqlite3_finalize(statement) }
            let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
            guard sqlite3_bind_text(statement, 1, parameter, -1, transient) == SQLITE_OK else { throw self.error() }
            var rows: [[String]] = []
            while rows.count < CoturnSQLiteUserDatabase.maximumRows {
                let step = sqlite3_step(statement)
                if step == SQLITE_DONE { break }
                guard step == SQLITE_ROW else { throw self.error() }
                rows.append((0..<columns).map { column in
                    sqlite3_column_text(statement, column).map { String(cString: $0) } ?? ""
                })
            }
            return rows
        }

        private func error() -> SQLiteError {
            SQLiteError(description: "\(self.path): \(String(cString: sqlite3_errmsg(self.handle)))")
        }
    }
}
