/// Strict parsers for option values: each returns the typed value, or a message saying what is
/// wrong. None of them traps, whatever the input.
enum ConfigValueParsers {
    /// coturn's boolean words (its example file's "Boolean values note"), compared
    /// case-insensitively. coturn itself decides by the first letter, so that `nonsense` is
    /// false; TurnGate refuses anything else.
    ///
    /// - Parameter text: The value after the option name.
    /// - Returns: The boolean, or `nil` when `text` is not one of the words.
    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "on", "yes", "y", "true", "t": true
        case "0", "off", "no", "n", "false", "f": false
        default: nil
        }
    }

    /// A decimal integer: ASCII digits only, no sign, no spaces, within `Int`.
    ///
    /// - Parameter text: The value.
    /// - Returns: The integer, or `nil`.
    static func integer(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int(text, radix: 10)
    }

    /// A UDP or TCP port, 1-65535.
    ///
    /// - Parameter text: The value.
    /// - Returns: The port, or a message naming the problem.
    static func port(_ text: String) -> Result<Int, ValueError> {
        guard let number = Self.integer(text) else {
            return .failure(ValueError("'\(text)' is not a port number: expected an integer from 1 to 65535"))
        }
        guard (1...65535).contains(number) else {
            return .failure(ValueError("\(number) is not a port number: expected an integer from 1 to 65535"))
        }
        return .success(number)
    }

    /// An IPv4 or IPv6 literal, as `listening-ip` takes it.
    ///
    /// - Parameter text: The value.
    /// - Returns: The parsed address, or a message naming the problem.
    static func ipAddress(_ text: String) -> Result<IPAddressLiteral, ValueError> {
        if let address = IPAddressLiteral(text) {
            return .success(address)
        }
        var message = "'\(text)' is not an IPv4 or IPv6 address"
        if text.hasPrefix("[") {
            message += " (write IPv6 addresses without brackets)"
        } else if text.contains("%") {
            message += " (zone identifiers such as %eth0 are not supported)"
        } else if text.contains("/") {
            message += " (a prefix length is not allowed here)"
        }
        return .failure(ValueError(message))
    }

    /// A SOFTWARE text: fewer than 128 characters (RFC 8489 Section 14.14).
    ///
    /// - Parameter text: The value.
    /// - Returns: The text, or a message naming the problem.
    static func softwareName(_ text: String) -> Result<String, ValueError> {
        guard text.unicodeScalars.count < 128 else {
            return .failure(
                ValueError(
                    "the SOFTWARE text must be fewer than 128 characters (RFC 8489 Section 14.14); "
                        + "this one has \(text.unicodeScalars.count)"
                ))
        }
        return .success(text)
    }

    /// One of the cases of a string-backed enumeration, compared case-insensitively.
    ///
    /// - Parameters:
    ///   - text: The value.
    ///   - type: The enumeration.
    ///   - what: What the value names, for the message ("log level").
    /// - Returns: The case, or a message listing the accepted words.
    static func choice<Choice: RawRepresentable & CaseIterable>(
        _ text: String,
        of type: Choice.Type,
        naming what: String
    ) -> Result<Choice, ValueError> where Choice.RawValue == String {
        if let choice = Choice(rawValue: text.lowercased()) {
            return .success(choice)
        }
        let accepted = Choice.allCases.map(\.rawValue).joined(separator: ", ")
        return .failure(ValueError("unknown \(what) '\(text)': expected one of \(accepted)"))
    }

    /// Why a value was refused, as a sentence for a ``ConfigDiagnostic``.
    struct ValueError: Error, Hashable, Sendable {
        /// What is wrong.
        let message: String

        init(_ message: String) {
            self.message = message
        }
    }
}
