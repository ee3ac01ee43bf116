import IPAddressing

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
    static func ipAddress(_ text: String) -> Result<IPAddress, ValueError> {
        if let address = try? IPAddress(parsing: text) {
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

    /// A whole number of at least `minimum`: a count, seconds or bytes per second.
    ///
    /// - Parameters:
    ///   - text: The value.
    ///   - minimum: The smallest number allowed; with 0, the message says 0 means no limit.
    ///   - what: What the number counts, for the message ("a number of seconds").
    /// - Returns: The number, or a message naming the problem.
    static func wholeNumber(_ text: String, atLeast minimum: Int, counting what: String) -> Result<Int, ValueError> {
        let expected = minimum == 0 ? "expected a whole number, 0 for no limit" : "expected a whole number from \(minimum) up"
        guard let number = Self.integer(text) else {
            return .failure(ValueError("'\(text)' is not \(what): \(expected)"))
        }
        guard number >= minimum else {
            return .failure(ValueError("\(number) is not allowed as \(what): \(expected)"))
        }
        return .success(number)
    }

    /// An HTTP path: `/` then printable ASCII without spaces, at most 256 characters.
    static func urlPath(_ text: String) -> Result<String, ValueError> {
        guard text.hasPrefix("/"), text.utf8.count <= 256, text.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") })
        else {
            return .failure(ValueError("'\(text.prefix(64))' is not a path: expected '/' then printable characters, no spaces, '?' or '#'"))
        }
        return .success(text)
    }

    /// A lifetime in seconds, 1 or more.
    static func seconds(_ text: String) -> Result<Int, ValueError> {
        Self.wholeNumber(text, atLeast: 1, counting: "a number of seconds")
    }

    /// A lifetime in seconds, 0 for no limit.
    static func secondsOrNoLimit(_ text: String) -> Result<Int, ValueError> {
        Self.wholeNumber(text, atLeast: 0, counting: "a number of seconds")
    }

    /// A number of allocations, 0 for no limit.
    static func allocations(_ text: String) -> Result<Int, ValueError> {
        Self.wholeNumber(text, atLeast: 0, counting: "a number of allocations")
    }

    /// A bandwidth in bytes per second, 0 for no limit.
    static func bytesPerSecond(_ text: String) -> Result<Int, ValueError> {
        Self.wholeNumber(text, atLeast: 0, counting: "a number of bytes per second")
    }

    /// The text of a STUN attribute that must be fewer than 128 characters: SOFTWARE
    /// (RFC 8489 Section 14.14) or REALM (Section 14.9).
    ///
    /// - Parameters:
    ///   - text: The value.
    ///   - attribute: The attribute's name, for the message.
    ///   - section: The RFC 8489 section that sets the limit.
    /// - Returns: The text, or a message naming the problem.
    static func attributeText(_ text: String, attribute: String, section: String) -> Result<String, ValueError> {
        guard text.unicodeScalars.count < 128 else {
            return .failure(
                ValueError(
                    "the \(attribute) text must be fewer than 128 characters (RFC 8489 Section \(section)); "
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
