/// Reads configuration options from the command line, with the same option table as the file.
///
/// The forms are those of coturn's `getopt_long` call: `--listening-port 3478`,
/// `--listening-port=3478`, `--fingerprint`, `--fingerprint=no`, and coturn's one-letter forms
/// (`-p 3478`, `-p3478`, `-vf`). A flag never takes the next argument as its value; an option
/// whose value is optional (`--stale-nonce=600`) takes one only after `=`. Unlike `getopt_long`,
/// an option needing a value does not swallow a following `--option`, and abbreviated long names
/// are not accepted. `-c`, `--help` and `--version` belong to the executable, not to this table.
public enum CommandLineOptions {
    /// Turns arguments into directives (with `line == nil`) and diagnostics.
    ///
    /// Unknown options and stray arguments are errors here, unlike unknown options in a file:
    /// without knowing an option, its value cannot be told from the next argument.
    ///
    /// - Parameter arguments: The arguments, without the program name and without the
    ///   executable's own options.
    /// - Returns: The directives in order, and the diagnostics.
    public static func directives(from arguments: [String]) -> ([ConfDirective], [ConfigDiagnostic]) {
        var reader = ArgumentReader(arguments: arguments)
        reader.readAll()
        return (reader.directives, reader.diagnostics)
    }

    /// The file's directives with the command line's applied on top: for every option given on
    /// the command line, the file's occurrences (under any alias) are dropped, so a single value
    /// is replaced and a repeatable option's list is replaced as a whole.
    ///
    /// - Parameters:
    ///   - file: Directives from the configuration file.
    ///   - commandLine: Directives from ``directives(from:)``.
    /// - Returns: The remaining file directives followed by the command line's.
    static func overriding(_ file: [ConfDirective], with commandLine: [ConfDirective]) -> [ConfDirective] {
        let overridden = Set(commandLine.map { Self.canonicalName($0.key) })
        return file.filter { !overridden.contains(Self.canonicalName($0.key)) } + commandLine
    }

    private static func canonicalName(_ key: String) -> String {
        ConfigKey.named(key)?.name ?? key
    }
}

/// Walks the argument list once.
private struct ArgumentReader {
    let arguments: [String]
    var index = 0
    var directives: [ConfDirective] = []
    var diagnostics: [ConfigDiagnostic] = []

    init(arguments: [String]) {
        self.arguments = arguments
    }

    mutating func readAll() {
        while let argument = self.next() {
            if argument == "--" {
                while let stray = self.next() {
                    self.fail("unexpected argument '\(stray)'", key: nil)
                }
            } else if argument.hasPrefix("--") {
                self.readLong(argument.dropFirst(2))
            } else if argument.hasPrefix("-"), argument.count > 1 {
                self.readShort(argument.dropFirst())
            } else {
                self.fail("unexpected argument '\(argument)'", key: nil)
            }
        }
    }

    private mutating func next() -> String? {
        guard self.index < self.arguments.count else { return nil }
        defer { self.index += 1 }
        return self.arguments[self.index]
    }

    /// The next argument, if it can be a value: anything but a long option.
    private mutating func nextValue() -> String? {
        guard self.index < self.arguments.count, !self.arguments[self.index].hasPrefix("--") else { return nil }
        return self.next()
    }

    private mutating func readLong(_ body: Substring) {
        let name: String
        let attached: String?
        if let equals = body.firstIndex(of: "=") {
            name = String(body[..<equals])
            attached = String(body[body.index(after: equals)...])
        } else {
            name = String(body)
            attached = nil
        }
        guard let key = ConfigKey.named(name) else {
            if let prefix = ConfigKey.recognisedPrefix(of: name) {
                self.fail(
                    "unknown option '--\(prefix)…': text follows '--\(prefix)' without '=' or a space (did you mean '--\(prefix)=…'?); "
                        + "the text is not repeated here, as it may be a secret",
                    key: prefix)
            } else {
                var message = "unknown option '--\(name)'"
                if let suggestion = ConfigKey.suggestion(for: name) {
                    message += " (did you mean '--\(suggestion)'?)"
                }
                self.fail(message, key: name)
            }
            if attached == nil, self.index < self.arguments.count, !self.arguments[self.index].hasPrefix("-") {
                self.index += 1
            }
            return
        }
        switch key.arity {
        case .flag, .optionalValue:
            self.directives.append(ConfDirective(key: name, value: attached))
        case .value:
            guard let value = attached ?? self.nextValue() else {
                self.fail("option '--\(name)' requires a value", key: name)
                return
            }
            self.directives.append(ConfDirective(key: name, value: value))
        }
    }

    /// A cluster of one-letter options: flags, then at most one option whose value is the rest
    /// of the cluster or the next argument.
    private mutating func readShort(_ cluster: Substring) {
        var rest = cluster
        while let letter = rest.first {
            rest = rest.dropFirst()
            guard let key = ConfigKey.withShortOption(letter) else {
                self.fail("unknown option '-\(letter)'", key: nil)
                return
            }
            guard key.arity == .value else {
                self.directives.append(ConfDirective(key: key.name))
                continue
            }
            guard let value = rest.isEmpty ? self.nextValue() : String(rest) else {
                self.fail("option '-\(letter)' (\(key.name)) requires a value", key: key.name)
                return
            }
            self.directives.append(ConfDirective(key: key.name, value: value))
            return
        }
    }

    private mutating func fail(_ message: String, key: String?) {
        self.diagnostics.append(.error(message, line: nil, key: key))
    }
}
