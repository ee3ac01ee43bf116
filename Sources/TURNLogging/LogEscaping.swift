/// Escaping of log text, so that one event is always one line and its `key=value` pairs
/// cannot be forged by the data they carry (a user name, a room, an error description).
///
/// Escaped, in both formats: every control character (C0, DEL, C1), the line and paragraph
/// separators U+2028 and U+2029, and the bidirectional formatting characters (U+202A to
/// U+202E, U+2066 to U+2069), which can make a line display as something else. They are
/// written `\n`, `\r`, `\t` or `\uXXXX`, as JSON does (RFC 8259 Section 7).
package enum LogEscaping {
    /// A value of the text format: as it is when it is not empty and holds no space, `=`,
    /// `"`, `\` or character escaped above; otherwise in double quotes, with `"` and `\`
    /// escaped too.
    package static func textValue(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            scalar != " " && scalar != "=" && !Self.needsQuotes(scalar)
        }
        return plain ? text : Self.quoted(text)
    }

    /// The message (or label) of the text format: as it is unless it holds `=`, `"`, `\` or a
    /// character escaped above, else quoted as ``textValue(_:)`` does. Spaces alone need no
    /// quotes: the message comes before the `key=value` pairs.
    package static func textMessage(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in scalar != "=" && !Self.needsQuotes(scalar) }
        return plain ? text : Self.quoted(text)
    }

    /// A JSON string literal (RFC 8259 Section 7), with the characters above escaped as well
    /// as the ones JSON requires.
    package static func jsonString(_ text: String) -> String {
        Self.quoted(text)
    }

    /// Whether `scalar` is escaped in every format.
    package static func isEscaped(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func needsQuotes(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\"" || scalar == "\\" || Self.isEscaped(scalar)
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where Self.isEscaped(scalar):
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
