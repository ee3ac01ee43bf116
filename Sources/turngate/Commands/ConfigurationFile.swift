import ArgumentParser
import Foundation
import TURNConfig

/// Reads a configuration file and command-line options the way every subcommand does.
enum ConfigurationFile {
    /// The configuration and its diagnostics, or exit 2 when the file cannot be read.
    ///
    /// - Parameters:
    ///   - path: the `-c` file, if any.
    ///   - options: `--key value` overrides.
    ///   - strict: whether warnings count as errors.
    ///   - reportingErrors: whether an unreadable file is printed to standard error.
    static func load(
        path: String?,
        options: [String],
        strict: Bool = false,
        reportingErrors: Bool = true
    ) throws -> (TURNServerConfiguration, [ConfigDiagnostic]) {
        var fileText = ""
        if let path {
            do {
                fileText = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                if reportingErrors { printError("turngate: cannot read \(path): \(error.localizedDescription)") }
                throw ExitCode(2)
            }
        }
        return TURNServerConfiguration.load(
            fileText: fileText, arguments: options, strict: strict, environment: ProcessInfo.processInfo.environment)
    }

    /// The configuration of `path`, or nil without one; prints its diagnostics and exits 2 when
    /// it has errors (the operator commands, which do not start the server).
    static func loadValid(path: String?) throws -> TURNServerConfiguration? {
        guard let path else { return nil }
        let (configuration, diagnostics) = try Self.load(path: path, options: [])
        if diagnostics.contains(where: { $0.severity == .error }) {
            Self.print(diagnostics, origin: path)
            throw ExitCode(2)
        }
        return configuration
    }

    /// The first line of a secret file (`--secret-file`, `admin-token-file`), without
    /// surrounding blanks; nil when the file cannot be read or the line is empty.
    static func firstLine(of path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let line = text.split(whereSeparator: \.isNewline).first?.trimmingCharacters(in: .whitespaces), !line.isEmpty
        else { return nil }
        return line
    }

    /// Prints every diagnostic, prefixed by where it comes from.
    static func print(_ diagnostics: [ConfigDiagnostic], origin: String?) {
        for diagnostic in diagnostics {
            printError(diagnostic.line == nil ? "turngate: \(diagnostic)" : "\(origin ?? "command line"): \(diagnostic)")
        }
    }
}

/// Writes one line to standard error.
func printError(_ line: String) {
    try? FileHandle.standardError.write(contentsOf: Data((line + "\n").utf8))
}
