extension TURNServerConfiguration {
    /// Builds the configuration from directives, reporting every problem.
    ///
    /// Diagnostics, each with its line (`nil` for the command line):
    /// - an unknown option: a warning, `unknown option 'x'`;
    /// - a coturn option TurnGate does not apply yet: a warning saying it is
    ///   "recognised, not supported";
    /// - a flag given a value that is not a boolean, or an option without its value: an error;
    /// - a bad value (a port outside 1-65535, an address that is not an IP literal, a malformed
    ///   `user` or peer range, an unknown log level): an error, which also says when the value
    ///   holds a `#` remark, since coturn's syntax has no end-of-line comments; a number followed
    ///   by blanks and a `#` remark is read as the number, as coturn reads it, with a warning
    ///   naming the remark;
    /// - conflicts (errors): `no-udp` with `no-tcp`, `min-port` above `max-port`,
    ///   `use-auth-secret` without `static-auth-secret`, `no-auth` with credentials,
    ///   `bps-capacity` without `max-bps`, an `external-ip` mapping given twice; for the
    ///   credential gateway, `api-listening-port` without a JWT key or a `static-auth-secret`,
    ///   `api-cert` without `api-pkey` (or the reverse), `admin-listening-port` without
    ///   `admin-token-file` or on the API's port;
    /// - gateway options given without `api-listening-port`: one warning, on the first of them;
    /// - no diagnostic repeats a secret (`static-auth-secret`, `jwt-secret`, a `user` password),
    ///   even when `:` was written for `=`;
    /// - options that cancel each other out or cannot work (warnings), and a warning about the
    ///   whole configuration (``ConfigDiagnostic/concernsWholeConfiguration``, no line) when no
    ///   authentication is configured, since every Allocate would be refused. `lt-cred-mech`
    ///   together with `use-auth-secret` is accepted, unlike in coturn.
    ///
    /// When `strict` is `true`, or `strict-config` is given, every warning becomes an error.
    ///
    /// - Parameters:
    ///   - directives: Directives in order, file first then command line; for a single-valued
    ///     option the last one wins.
    ///   - strict: Whether warnings are errors.
    /// - Returns: The configuration (defaults where nothing usable was given) and the
    ///   diagnostics sorted by line, command-line ones and whole-configuration ones last.
    public static func load(directives: [ConfDirective], strict: Bool) -> (TURNServerConfiguration, [ConfigDiagnostic]) {
        Self.load(directives: directives, earlier: [], strict: strict)
    }

    /// Reads a configuration file's text and command-line arguments, lets the command line
    /// override the file, and builds the configuration.
    ///
    /// A single-valued option given on the command line replaces the file's; a repeatable one
    /// (`listening-ip`) replaces the file's whole list. Lexer and command-line diagnostics are
    /// included with the loader's, and escalated with them under strict mode.
    ///
    /// - Parameters:
    ///   - fileText: The configuration file's contents (empty when there is no file).
    ///   - arguments: Command-line options, as for ``CommandLineOptions/directives(from:)``.
    ///   - strict: Whether warnings are errors (`--strict-config` in `arguments` does the same).
    ///   - environment: The variables `${NAME}` in a value refers to (``EnvironmentReferences``);
    ///     the process's environment in production.
    /// - Returns: The configuration and every diagnostic.
    public static func load(
        fileText: String, arguments: [String], strict: Bool, environment: [String: String] = [:]
    ) -> (TURNServerConfiguration, [ConfigDiagnostic]) {
        let (fileDirectives, lexerDiagnostics) = ConfigFileLexer.lex(fileText)
        let (argumentDirectives, argumentDiagnostics) = CommandLineOptions.directives(from: arguments)
        let (directives, referenceDiagnostics) = EnvironmentReferences.expand(
            CommandLineOptions.overriding(fileDirectives, with: argumentDirectives), environment: environment)
        return Self.load(
            directives: directives,
            earlier: lexerDiagnostics + argumentDiagnostics + referenceDiagnostics,
            strict: strict
        )
    }

    private static func load(directives: [ConfDirective], earlier: [ConfigDiagnostic], strict: Bool) -> (
        TURNServerConfiguration, [ConfigDiagnostic]
    ) {
        var loader = ConfigurationLoader()
        for directive in directives {
            loader.apply(directive)
        }
        return loader.finish(earlier: earlier, strict: strict)
    }
}
