import Testing

@testable import TURNConfig

/// One lexer input and what it must give.
struct LexVector: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    let directives: [ConfDirective]
    /// The lines of the expected diagnostics, in order.
    let diagnosticLines: [Int]

    init(_ name: String, _ text: String, _ directives: [ConfDirective], diagnosticLines: [Int] = []) {
        self.name = name
        self.text = text
        self.directives = directives
        self.diagnosticLines = diagnosticLines
    }

    var testDescription: String { self.name }
}

private func d(_ key: String, _ value: String?, _ line: Int) -> ConfDirective {
    ConfDirective(key: key, value: value, line: line)
}

struct ConfigFileLexerTests {
    static let syntaxVectors: [LexVector] = [
        LexVector("key=value", "listening-port=3478", [d("listening-port", "3478", 1)]),
        LexVector("key value", "listening-port 3478", [d("listening-port", "3478", 1)]),
        LexVector("key = value", "listening-port = 3478", [d("listening-port", "3478", 1)]),
        LexVector("tab separator", "listening-port\t3478", [d("listening-port", "3478", 1)]),
        LexVector("run of separators", "realm = =\t= example.org", [d("realm", "example.org", 1)]),
        LexVector("double equals", "realm==example.org", [d("realm", "example.org", 1)]),
        LexVector("equals inside the value", "static-auth-secret=a=b==", [d("static-auth-secret", "a=b==", 1)]),
        LexVector("spaces inside the value", "realm = my realm  ", [d("realm", "my realm", 1)]),
        LexVector("quoted value", #"pidfile = "/var/run/turnserver.pid""#, [d("pidfile", "/var/run/turnserver.pid", 1)]),
        LexVector("quoted value after a space", #"new-log-timestamp-format "%FT%T%z""#, [d("new-log-timestamp-format", "%FT%T%z", 1)]),
        LexVector(
            "quoted value keeps inner spaces", #"psql-userdb="host=db dbname=turn  ""#, [d("psql-userdb", "host=db dbname=turn  ", 1)]),
        LexVector("one pair of quotes only", #"realm=""x"""#, [d("realm", #""x""#, 1)]),
        LexVector("inner quotes stay", #"realm="a"b""#, [d("realm", #"a"b"#, 1)]),
        LexVector("empty quotes", #"realm="""#, [d("realm", "", 1)]),
        LexVector("unclosed quote", #"realm="example.org"#, [d("realm", "example.org", 1)], diagnosticLines: [1]),
        LexVector("lone quote", #"realm=""#, [d("realm", "", 1)], diagnosticLines: [1]),
        LexVector("closing quote only", #"realm=example.org""#, [d("realm", #"example.org""#, 1)]),
        LexVector("bare flag", "fingerprint", [d("fingerprint", nil, 1)]),
        LexVector("bare flag with trailing blanks", "fingerprint \t ", [d("fingerprint", nil, 1)]),
        LexVector("empty value", "realm=", [d("realm", "", 1)]),
        LexVector("empty value after blanks", "realm = ", [d("realm", "", 1)]),
        LexVector("leading and trailing blanks", " \t listening-port=3478 \t", [d("listening-port", "3478", 1)]),
        LexVector("trailing vertical tab and form feed", "fingerprint\u{0B}\u{0C}", [d("fingerprint", nil, 1)]),
        LexVector("names are case-sensitive", "verbose\nVerbose", [d("verbose", nil, 1), d("Verbose", nil, 2)]),
        LexVector("byte order mark", "\u{FEFF}fingerprint", [d("fingerprint", nil, 1)]),
        LexVector("non-ASCII value", "realm=zürich.example", [d("realm", "zürich.example", 1)]),
        LexVector("non-ASCII name", "réalm=x", [d("réalm", "x", 1)]),
        LexVector("comment", "# listening-port=1", []),
        LexVector("commented option", "#listening-port=1", []),
        LexVector("indented comment", "  \t# a comment", []),
        LexVector("hash inside a value", "cli-password=pa#ss", [d("cli-password", "pa#ss", 1)]),
        LexVector(
            "no end-of-line comments", "user-quota=12 # 4 streams per call",
            [d("user-quota", "12 # 4 streams per call", 1)], diagnosticLines: [1]
        ),
        LexVector("hash after a tab", "user-quota=12\t#x", [d("user-quota", "12\t#x", 1)], diagnosticLines: [1]),
        LexVector(
            "a flag's remark is its value", "lt-cred-mech # only on old coturns", [d("lt-cred-mech", "# only on old coturns", 1)],
            diagnosticLines: [1]),
        LexVector("a hash right after '=' is a value", "cli-password=#secret", [d("cli-password", "#secret", 1)]),
        LexVector("quoted hash is not reported", #"cipher-list="A #B""#, [d("cipher-list", "A #B", 1)]),
        LexVector("trailing semicolon", "realm=example.org;", [d("realm", "example.org;", 1)], diagnosticLines: [1]),
        LexVector("empty text", "", []),
        LexVector("blank lines", "\n\n \t\n", []),
        LexVector("CRLF", "listening-port=3478\r\nfingerprint\r\n", [d("listening-port", "3478", 1), d("fingerprint", nil, 2)]),
        LexVector("blank CRLF lines", "\r\n\r\nfingerprint\r\n", [d("fingerprint", nil, 3)]),
        LexVector("a lone CR does not end a line", "realm=a\rb", [d("realm", "a\rb", 1)]),
        LexVector("no final newline", "fingerprint", [d("fingerprint", nil, 1)]),
        LexVector(
            "repeated keys are kept in order", "listening-ip=10.0.0.1\nlistening-ip=10.0.0.2\nlistening-ip=10.0.0.1",
            [d("listening-ip", "10.0.0.1", 1), d("listening-ip", "10.0.0.2", 2), d("listening-ip", "10.0.0.1", 3)]
        ),
        LexVector("a name that starts with '='", "=3478", [], diagnosticLines: [1]),
        LexVector("a quoted name", #""realm"=x"#, [], diagnosticLines: [1]),
        LexVector("a control character in a name", "real\u{01}m=x", [], diagnosticLines: [1]),
        LexVector("a NUL in a name", "realm\u{0}=x", [], diagnosticLines: [1]),
        LexVector("punctuation in a name is left to the loader", "listening-port: 3478", [d("listening-port:", "3478", 1)]),
    ]

    @Test(arguments: Self.syntaxVectors)
    func lexesEverySyntaxForm(vector: LexVector) {
        let (directives, diagnostics) = ConfigFileLexer.lex(vector.text)
        #expect(directives == vector.directives)
        #expect(diagnostics.map(\.line) == vector.diagnosticLines.map(Optional.some))
    }

    @Test
    func numbersLinesAcrossCommentsBlanksAndGarbage() {
        let text = """
            # TURN server
            listening-port=3478

            =garbage
            \t# indented comment
            fingerprint
            "quoted"=name
            realm=example.org;
            listening-ip=127.0.0.1
            """
        let (directives, diagnostics) = ConfigFileLexer.lex(text)
        #expect(
            directives == [
                d("listening-port", "3478", 2), d("fingerprint", nil, 6), d("realm", "example.org;", 8), d("listening-ip", "127.0.0.1", 9),
            ])
        #expect(diagnostics.map(\.line) == [4, 7, 8])
        #expect(diagnostics.map(\.severity) == [.error, .error, .warning])
    }

    @Test
    func reportsUnlexableLinesAsErrors() throws {
        let (_, diagnostics) = ConfigFileLexer.lex("fingerprint\n= 3478")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.line == 2)
        #expect(diagnostic.description.hasPrefix("line 2: error: cannot read this line"))
    }

    @Test
    func namesTheOptionInValueWarnings() throws {
        let (_, diagnostics) = ConfigFileLexer.lex("user-quota=12 # per user")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.key == "user-quota")
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.message.contains("does not start a comment"))
    }

    @Test
    func doesNotEchoValuesInWarnings() {
        let secret = "s3cr3t-value"
        let (_, diagnostics) = ConfigFileLexer.lex("static-auth-secret=\"\(secret)\nstatic-auth-secret=\(secret) # rotated;")
        #expect(diagnostics.count == 3)
        #expect(diagnostics.allSatisfy { !$0.description.contains(secret) })
    }
}
