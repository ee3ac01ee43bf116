import TURNLogging

extension SignalJSON {
    /// The compact JSON text (RFC 8259): object keys sorted, so equal values give equal text;
    /// integral numbers below 2^53 written without a fraction, as JavaScript writes them;
    /// strings escaped as log lines escape them (``LogEscaping/jsonString(_:)``: control and
    /// bidirectional-override characters as `\u` escapes, which read back the same).
    var text: String {
        var output = ""
        self.write(to: &output)
        return output
    }

    private func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let value): output += Self.numberText(value)
        case .string(let value): output += LogEscaping.jsonString(value)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output += "," }
                output += LogEscaping.jsonString(key)
                output += ":"
                members[key]?.write(to: &output)
            }
            output += "}"
        }
    }

    private static func numberText(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value.rounded() == value, abs(value) < 9_007_199_254_740_992 {
            return value == 0 && value.sign == .minus ? "-0" : String(Int64(value))
        }
        return value.description
    }
}
