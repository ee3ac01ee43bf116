import Testing

@testable import TURNConfig

/// Loads `text` as a configuration file, without command-line arguments, and leaves out the
/// diagnostic about the whole configuration: the warning (an error under strict mode) that no
/// authentication is configured, which `AuthenticationConfigurationTests` covers. Tests of
/// other options use it so that their files need no credentials.
func loadOptions(_ text: String, strict: Bool = false) -> (TURNServerConfiguration, [ConfigDiagnostic]) {
    let (configuration, diagnostics) = TURNServerConfiguration.load(fileText: text, arguments: [], strict: strict)
    return (configuration, diagnostics.filter { !$0.concernsWholeConfiguration })
}

/// Loads `text` as a configuration file, without command-line arguments, keeping every
/// diagnostic.
func loadFile(_ text: String, strict: Bool = false) -> (TURNServerConfiguration, [ConfigDiagnostic]) {
    TURNServerConfiguration.load(fileText: text, arguments: [], strict: strict)
}

/// A configuration line that must give exactly one error, on its line.
struct BadValueVector: Sendable, CustomTestStringConvertible {
    let line: String
    let key: String
    let messagePart: String

    init(_ line: String, key: String, _ messagePart: String) {
        self.line = line
        self.key = key
        self.messagePart = messagePart
    }

    var testDescription: String { self.line }
}

/// Expects `diagnostics` to hold exactly one diagnostic, of `severity`, on `line`, about `key`.
///
/// - Parameters:
///   - diagnostics: What a load reported.
///   - severity: The severity expected.
///   - line: The line expected: `nil` for the command line or the whole configuration.
///   - key: The option expected: `nil` where no one option is at fault.
///   - sourceLocation: Where the test calls this, for the expectations that fail.
/// - Returns: The diagnostic, for the checks particular to the test.
/// - Throws: When `diagnostics` is empty.
@discardableResult
func onlyDiagnostic(
    in diagnostics: [ConfigDiagnostic],
    severity: ConfigDiagnostic.Severity,
    line: Int?,
    key: String?,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> ConfigDiagnostic {
    let diagnostic = try #require(diagnostics.first, sourceLocation: sourceLocation)
    #expect(diagnostics.count == 1, sourceLocation: sourceLocation)
    #expect(diagnostic.severity == severity, sourceLocation: sourceLocation)
    #expect(diagnostic.line == line, sourceLocation: sourceLocation)
    #expect(diagnostic.key == key, sourceLocation: sourceLocation)
    return diagnostic
}

/// Loads the line of `vector` between two comment lines, with ``loadOptions(_:strict:)``, and
/// expects exactly one error, on line 2, about the vector's key, whose message contains the
/// vector's part.
///
/// - Parameters:
///   - vector: The bad line and what its error must say.
///   - sourceLocation: Where the test calls this, for the expectations that fail.
/// - Returns: The configuration loaded and the error, for the checks particular to a group of
///   options.
/// - Throws: When the load reports nothing.
@discardableResult
func loadBadValue(
    _ vector: BadValueVector,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> (configuration: TURNServerConfiguration, error: ConfigDiagnostic) {
    let (configuration, diagnostics) = loadOptions("# start\n\(vector.line)\n# end")
    let error = try onlyDiagnostic(in: diagnostics, severity: .error, line: 2, key: vector.key, sourceLocation: sourceLocation)
    #expect(error.message.contains(vector.messagePart), sourceLocation: sourceLocation)
    return (configuration, error)
}
