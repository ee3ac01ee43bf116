/// `${NAME}` references to environment variables in configuration values.
///
/// Any value, in the file or on the command line, may name an environment variable as
/// `${NAME}` (a letter or `_`, then letters, digits and `_`); it is replaced by the variable's
/// value before the option is read, so a Kubernetes manifest can pass the node's address or a
/// secret through the environment. `$${` stands for a literal `${`. A variable that is not set,
/// an unclosed `${` or a name that is not a name is an error on the option's line; the message
/// names the variable, never the value.
enum EnvironmentReferences {
    /// The directives with every reference replaced, and a diagnostic for each one that cannot be.
    ///
    /// A directive with a bad reference is dropped, so its option keeps its earlier value.
    static func expand(_ directives: [ConfDirective], environment: [String: String]) -> ([ConfDirective], [ConfigDiagnostic]) {
        var expanded: [ConfDirective] = []
        var diagnostics: [ConfigDiagnostic] = []
        expanded.reserveCapacity(directives.count)
        for directive in directives {
            guard let value = directive.value, value.contains("$") else {
                expanded.append(directive)
                continue
            }
            switch Self.expand(value, environment: environment) {
            case .success(let text):
                var copy = directive
                copy.value = text
                expanded.append(copy)
            case .failure(let problem):
                diagnostics.append(.error("the value of '\(directive.key)' \(problem.message)", line: directive.line, key: directive.key))
            }
        }
        return (expanded, diagnostics)
    }

    /// Why a value's references cannot be replaced.
    struct Problem: Error {
        let message: String
    }

    /// `text` with its references replaced.
    static func expand(_ text: String, environment: [String: String]) -> Result<String, Problem> {
        var output = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if after.hasPrefix("${") {
                output += "${"
                rest = after.dropFirst(2)
                continue
            }
            guard after.hasPrefix("{") else {
                output += "$"
                rest = after
                continue
            }
            guard let close = after.firstIndex(of: "}") else {
                return .failure(Problem(message: "opens '${' without a closing '}' (write '$${' for a literal '${')"))
            }
            let name = after[after.index(after: after.startIndex)..<close]
            guard Self.isName(name) else {
                return .failure(Problem(message: "has a '${' not followed by a variable name and '}' (letters, digits and '_'; write '$${' for a literal '${')"))
            }
            guard let value = environment[String(name)] else {
                return .failure(Problem(message: "refers to ${\(name)}, which is not set in the environment"))
            }
            output += value
            rest = after[after.index(after: close)...]
        }
        output += rest
        return .success(output)
    }

    private static func isName(_ name: Substring) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || Self.isLetter(first) else { return false }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || Self.isLetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
