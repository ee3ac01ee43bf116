import Foundation
import TURNAuth
import TURNSQLite

/// `userdb`: coturn's SQLite user database, as `turnadmin -b` writes it (created empty with
/// coturn's schema when the file does not exist, as coturn does), or a text file of `user`
/// lines, TurnGate's earlier format, still read with a deprecation warning.
enum UserDatabase {
    /// The users and secrets of one realm, and what was left out.
    struct Entries {
        var users: [UserEntry] = []
        var secrets: [CredentialSecret] = []
        /// Warnings for the operator: the text format, users whose key TurnGate cannot use.
        var warnings: [String] = []
    }

    /// The entries of `path` for `realm`; `option` names the setting in errors ("line 7: userdb").
    ///
    /// - Throws: ``RelaySetup/SetupError`` when the file cannot be created, read or parsed.
    static func read(_ path: String, realm: String, option: String) throws -> Entries {
        do {
            if !FileManager.default.fileExists(atPath: path) {
                try CoturnSQLiteUserDatabase.create(at: path)
            }
            guard CoturnSQLiteUserDatabase.isDatabase(at: path) else { return try Self.readText(path, option: option) }
            let contents = try CoturnSQLiteUserDatabase.read(at: path, realm: realm)
            var entries = Entries(secrets: contents.secrets.map(CredentialSecret.init))
            for user in contents.users {
                guard let key = HexText.bytes(user.hexKey), key.count == UserEntry.md5KeyByteCount, !user.name.isEmpty else {
                    entries.warnings.append(
                        "\(option): user '\(user.name)' of realm \(realm) has a key TurnGate cannot use (not 32 hex digits of MD5): left out")
                    continue
                }
                entries.users.append(UserEntry(name: user.name, credential: .md5Key(CredentialSecret(bytes: key))))
            }
            return entries
        } catch let error as SQLiteError {
            throw RelaySetup.SetupError(description: "\(option): \(error)")
        }
    }

    private static func readText(_ path: String, option: String) throws -> Entries {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw RelaySetup.SetupError(description: "\(option): cannot read \(path)")
        }
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") }
        var entries = Entries(warnings: [
            "\(option): \(path) is a text file of user lines, TurnGate's earlier format (deprecated): coturn's turnadmin writes an SQLite database there"
        ])
        entries.users = try lines.map { line in
            do {
                return try UserEntry(parsing: line)
            } catch {
                throw RelaySetup.SetupError(description: "\(option): invalid user entry: \(error)")
            }
        }
        return entries
    }
}
