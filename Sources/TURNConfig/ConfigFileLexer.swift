/// Reads coturn's `turnserver.conf` syntax into directives, keeping everything coturn keeps.
///
/// The rules are those of coturn's `read_config_file` and `parse_arg_string`
/// (`src/apps/relay/mainrelay.c`):
/// - a line is split at `\n`; trailing white space, including a `\r` from CRLF files, is dropped,
///   and so are leading blanks;
/// - blank lines and lines whose first non-blank character is `#` are skipped. There are no
///   end-of-line comments: `user-quota=12 # per user` gives the value `12 # per user`, as in
///   coturn, and `fingerprint # always` gives `fingerprint` the value `# always` (a warning
///   points both out; the loader then reads a number before such a remark as coturn's `atoi`
///   does, with a warning of its own);
/// - the option name runs up to the first space, tab or `=`; then any run of spaces, tabs and `=`
///   separates it from the value, so `key=value`, `key value` and `key = value` are the same;
/// - a value that starts with `"` loses that quote and, when present, the closing one;
/// - a name alone (`fingerprint`) has no value; repeated options are all kept, in order.
///
/// Nothing here traps: any text gives directives and diagnostics.
public enum ConfigFileLexer {
    /// Splits configuration text into directives, with diagnostics for the lines it cannot read.
    ///
    /// - Parameter text: The whole configuration file.
    /// - Returns: The directives in file order, each with its 1-based line, and the diagnostics
    ///   (an error for a line that has no usable option name; warnings for a trailing semicolon,
    ///   an unbalanced quote, or a `#` that looks like a comment but is part of a value).
    public static func lex(_ text: String) -> ([ConfDirective], [ConfigDiagnostic]) {
        var bytes = Array(text.utf8)
        if bytes.starts(with: Self.byteOrderMark) {
            bytes.removeFirst(Self.byteOrderMark.count)
        }
        var directives: [ConfDirective] = []
        var diagnostics: [ConfigDiagnostic] = []
        let lines = bytes.split(separator: ASCII.newline, omittingEmptySubsequences: false)
        for (offset, line) in lines.enumerated() {
            Self.lexLine(line, number: offset + 1, into: &directives, diagnostics: &diagnostics)
        }
        return (directives, diagnostics)
    }

    /// Whether what follows an option name holds what reads like an end-of-line comment: a `#`
    /// after a space or a tab, even as the first character of the value.
    private static func hasEndOfLineRemark(_ text: ArraySlice<UInt8>) -> Bool {
        zip(text, text.dropFirst()).contains { ASCII.isBlank($0) && $1 == ASCII.hash }
    }

    /// The warning about a `#` after a value. The loader leaves it out where it reads a number
    /// before the remark, as coturn does, and says so itself.
    static func remarkWarning(key: String, line: Int) -> ConfigDiagnostic {
        .warning(
            "'#' after a value does not start a comment in coturn's syntax: it and what follows are part of the value of '\(key)'",
            line: line, key: key)
    }

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    private static func lexLine(
        _ line: ArraySlice<UInt8>,
        number: Int,
        into directives: inout [ConfDirective],
        diagnostics: inout [ConfigDiagnostic]
    ) {
        let afterBlanks = line.drop(while: ASCII.isWhiteSpace)
        guard let last = afterBlanks.lastIndex(where: { !ASCII.isWhiteSpace($0) }) else { return }
        let content = afterBlanks[...last]
        guard content.first != ASCII.hash else { return }

        let keyEnd = content.firstIndex(where: ASCII.isSeparator) ?? content.endIndex
        let keyBytes = content[..<keyEnd]
        guard !keyBytes.isEmpty else {
            diagnostics.append(.error("cannot read this line: it starts with '=' where an option name should be", line: number, key: nil))
            return
        }
        guard keyBytes.allSatisfy(ASCII.isNameByte) else {
            diagnostics.append(
                .error("cannot read this line: an option name cannot contain quotes or control characters", line: number, key: nil))
            return
        }
        let key = String(decoding: keyBytes, as: UTF8.self)

        var value: String?
        if keyEnd < content.endIndex {
            let raw = content[keyEnd...].drop(while: ASCII.isSeparator)
            if raw.first == ASCII.quote {
                var inner = raw.dropFirst()
                if inner.last == ASCII.quote {
                    inner = inner.dropLast()
                } else {
                    diagnostics.append(.warning("the value of '\(key)' opens a double quote that is not closed", line: number, key: key))
                }
                value = String(decoding: inner, as: UTF8.self)
            } else {
                if Self.hasEndOfLineRemark(content[keyEnd...]) {
                    diagnostics.append(Self.remarkWarning(key: key, line: number))
                }
                value = String(decoding: raw, as: UTF8.self)
            }
        }
        if content.last == ASCII.semicolon {
            diagnostics.append(
                .warning("the line ends with ';', which coturn's syntax keeps as part of the option", line: number, key: key))
        }
        directives.append(ConfDirective(key: key, value: value, line: number))
    }
}

/// The bytes the lexer cares about, and their classes.
private enum ASCII {
    static let newline = UInt8(ascii: "\n")
    static let hash = UInt8(ascii: "#")
    static let quote = UInt8(ascii: "\"")
    static let semicolon = UInt8(ascii: ";")
    static let equals = UInt8(ascii: "=")

    /// Space and tab: what separates a name from its value.
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// C's `isspace`: blanks, `\n`, `\v`, `\f` and `\r`.
    static func isWhiteSpace(_ byte: UInt8) -> Bool {
        Self.isBlank(byte) || (0x0A...0x0D).contains(byte)
    }

    /// What ends an option name and separates it from its value.
    static func isSeparator(_ byte: UInt8) -> Bool {
        Self.isBlank(byte) || byte == Self.equals
    }

    /// Printable ASCII other than the double quote, or any byte of a non-ASCII character.
    static func isNameByte(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte != 0x7F && byte != Self.quote
    }
}
