/// A JSON value, for claims whose type the gateway checks itself.
enum JSONValue: Sendable, Hashable, Decodable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The text of a string, or of an integral number (some issuers send numeric user ids).
    var text: String? {
        switch self {
        case .string(let value):
            return value
        case .number(let value):
            guard value.rounded() == value, abs(value) < 1e15 else { return nil }
            return String(Int64(value))
        default:
            return nil
        }
    }

    /// The strings of an array (other elements skipped), or a single string as one element.
    var strings: [String]? {
        switch self {
        case .string(let value): [value]
        case .array(let values): values.compactMap { if case .string(let text) = $0 { text } else { nil } }
        default: nil
        }
    }

    /// A number.
    var number: Double? {
        if case .number(let value) = self { value } else { nil }
    }
}
