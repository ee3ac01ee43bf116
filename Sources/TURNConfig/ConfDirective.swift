/// One option as written in `turnserver.conf` or on the command line, before any interpretation.
///
/// The lexer keeps every directive, in order, including repeated keys and keys it does not know:
/// meaning is given later, by ``TURNServerConfiguration/load(directives:strict:)``, which reports
/// what it cannot use as ``ConfigDiagnostic``s.
public struct ConfDirective: Hashable, Sendable {
    /// The option name exactly as written (coturn's names are case-sensitive: `verbose` and
    /// `Verbose` are different options).
    public var key: String
    /// The value with one pair of surrounding double quotes removed, or `nil` when the option was
    /// written bare (`fingerprint`). An explicit empty value (`realm=`) is the empty string.
    public var value: String?
    /// The 1-based line of the configuration file, or `nil` for a command-line option.
    public var line: Int?

    /// Creates a directive.
    ///
    /// - Parameters:
    ///   - key: The option name.
    ///   - value: The option value, or `nil` for a bare option.
    ///   - line: The 1-based file line, or `nil` for the command line.
    public init(key: String, value: String? = nil, line: Int? = nil) {
        self.key = key
        self.value = value
        self.line = line
    }
}
