import TURNConfig

/// The configuration lexer and loader: the input is a `turnserver.conf` text; after its first
/// NUL byte, if any, come command-line arguments separated by NUL bytes.
///
/// Lexed and loaded as `serve` does, leniently and under `--strict-config`. Every directive and
/// every diagnostic must name a line of the file (or none, for the command line and
/// whole-configuration checks); anything else traps.
enum ConfigTarget {
    static func run(_ bytes: [UInt8]) {
        let parts = bytes.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
        let text = String(decoding: parts.first ?? [], as: UTF8.self)
        let arguments = parts.count > 1 ? parts[1].split(separator: 0).map { String(decoding: $0, as: UTF8.self) } : []
        let lineCount = text.utf8.count { $0 == UInt8(ascii: "\n") } + 1

        let (directives, lexerDiagnostics) = ConfigFileLexer.lex(text)
        for directive in directives {
            precondition(directive.line.map { (1...lineCount).contains($0) } ?? false, "a directive outside the file")
        }
        for diagnostic in lexerDiagnostics {
            precondition(diagnostic.line.map { (1...lineCount).contains($0) } ?? true, "a diagnostic outside the file")
        }
        for strict in [false, true] {
            let (_, diagnostics) = TURNServerConfiguration.load(fileText: text, arguments: arguments, strict: strict)
            for diagnostic in diagnostics {
                precondition(diagnostic.line.map { (1...lineCount).contains($0) } ?? true, "a diagnostic outside the file")
                precondition(!strict || diagnostic.severity == .error, "a warning under --strict-config")
            }
        }
    }
}
