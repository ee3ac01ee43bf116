extension RedisConnectionConfiguration {
    /// Parses coturn's Redis connection string, as given to `redis-userdb` and `redis-statsdb`.
    ///
    /// The syntax is coturn's (`RyconninfoParse` in `src/apps/relay/dbdrivers/dbd_redis.c`, and
    /// `docs/Redis.md`): space-separated `key=value` pairs, every one optional, for example
    /// `ip=127.0.0.1 dbname=2 password=turn port=6379 connect_timeout=30`. Keys and their coturn
    /// aliases:
    /// - `host`, `ip`, `addr`, `ipaddr`, `hostaddr`: the server (default `127.0.0.1`);
    /// - `port`, `p`: the port (default 6379);
    /// - `dbname`, `db`, `database`: the database number (default 0);
    /// - `password`, `pwd`, `passwd`, `secret`: the AUTH password;
    /// - `connect_timeout`, `timeout`: the connect timeout in seconds (0 keeps the default);
    /// - `user`, `uname`, `name`, `username`: accepted and ignored, as coturn does.
    ///
    /// Stricter than coturn, which `atoi`s numbers and keeps the last word it understood: a
    /// number must be a number in range, and an unknown key or a word without `=` is an error
    /// naming the key or the word's position (never echoing a value, which could be a password).
    /// The whole string may be wrapped in double or single quotes (as it is in `turnserver.conf`),
    /// and a value may be quoted to hold spaces.
    ///
    /// - Parameters:
    ///   - string: The connection string.
    ///   - defaults: Values for keys the string leaves out (timeouts, reply limits).
    /// - Throws: ``RedisError`` with ``RedisError/Code/invalidConnectionString``.
    public init(coturnConnectionString string: String, defaults: RedisConnectionConfiguration = .init()) throws(RedisError) {
        self = defaults
        let words = try CoturnConnectionStringLexer.words(of: string)
        for (index, word) in words.enumerated() {
            guard let equals = word.firstIndex(of: "=") else {
                throw Self.invalid("word \(index + 1) is not key=value")
            }
            let key = String(word[..<equals])
            let value = CoturnConnectionStringLexer.unquoted(word[word.index(after: equals)...])
            try self.apply(key: key, value: value)
        }
    }

    private mutating func apply(key: String, value: String) throws(RedisError) {
        switch key {
        case "host", "ip", "addr", "ipaddr", "hostaddr":
            guard !value.isEmpty else { throw Self.invalid("\(key) is empty") }
            self.host = value
        case "port", "p":
            self.port = try Self.integer(value, key: key, in: 1...65_535)
        case "dbname", "db", "database":
            self.database = try Self.integer(value, key: key, in: 0...1_000_000)
        case "password", "pwd", "passwd", "secret":
            self.password = value.isEmpty ? nil : RedisPassword(value)
        case "connect_timeout", "timeout":
            let seconds = try Self.integer(value, key: key, in: 0...86_400)
            if seconds > 0 { self.connectTimeout = .seconds(seconds) }
        case "user", "uname", "name", "username":
            break
        default:
            throw Self.invalid(
                "unknown key '\(key)'; known keys: host (ip, addr, ipaddr, hostaddr), port (p), "
                    + "dbname (db, database), password (pwd, passwd, secret), connect_timeout (timeout), "
                    + "user (uname, name, username; ignored)")
        }
    }

    private static func integer(_ value: String, key: String, in range: ClosedRange<Int>) throws(RedisError) -> Int {
        guard let number = Int(value), range.contains(number) else {
            throw Self.invalid("\(key) must be an integer in \(range.lowerBound)...\(range.upperBound), not '\(value)'")
        }
        return number
    }

    private static func invalid(_ message: String) -> RedisError {
        RedisError(.invalidConnectionString, "Redis connection string: \(message)")
    }
}

/// Splits a coturn connection string into `key=value` words, honouring quotes.
enum CoturnConnectionStringLexer {
    /// The words of `string`, split on spaces and tabs outside quotes, after removing one pair of
    /// quotes around the whole string.
    static func words(of string: String) throws(RedisError) -> [Substring] {
        var text = Substring(string).trimmingSpaces()
        if text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first {
            text = text.dropFirst().dropLast()
        }
        var words: [Substring] = []
        var start: Substring.Index? = nil
        var quote: Character? = nil
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == " " || character == "\t" {
                if let wordStart = start { words.append(text[wordStart..<index]) }
                start = nil
            } else {
                if start == nil { start = index }
                if character == "\"" || character == "'" { quote = character }
            }
            index = text.index(after: index)
        }
        if quote != nil {
            throw RedisError(.invalidConnectionString, "Redis connection string: unterminated quote")
        }
        if let wordStart = start { words.append(text[wordStart...]) }
        return words
    }

    /// `value` without one pair of surrounding quotes.
    static func unquoted(_ value: Substring) -> String {
        if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
            return String(value.dropFirst().dropLast())
        }
        return String(value)
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" || first == "\n" || first == "\r" {
            result = result.dropFirst()
        }
        while let last = result.last, last == " " || last == "\t" || last == "\n" || last == "\r" {
            result = result.dropLast()
        }
        return result
    }
}
