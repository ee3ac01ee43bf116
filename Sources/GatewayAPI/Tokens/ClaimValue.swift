/// A claim's value as the gateway checks it: a scalar, or an array of scalars.
///
/// Decoding is not recursive: an element of an array that is itself an array or an object is
/// kept as ``Scalar/other`` without being decoded, so the cost stays linear in the input.
enum ClaimValue: Sendable, Hashable, Decodable {
    /// An array element.
    enum Scalar: Sendable, Hashable, Decodable {
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
        /// An array or object, not looked into.
        case other

        init(from decoder: any Decoder) throws {
            guard let container = try? decoder.singleValueContainer() else {
                self = .other
                return
            }
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Double.self) {
                self = .number(value)
            } else if let value = try? container.decode(String.self) {
                self = .string(value)
            } else {
                self = .other
            }
        }
    }

    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([Scalar])
    /// An object, not looked into.
    case object

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
        } else if let value = try? container.decode([Scalar].self) {
            self = .array(value)
        } else {
            self = .object
        }
    }

    /// The text of a string, or of an integral number (some issuers send numeric ids).
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

    /// The strings of an array whose elements are all strings, or a single string as one
    /// element; nil for anything else.
    var strictStrings: [String]? {
        switch self {
        case .string(let value):
            return [value]
        case .array(let values):
            var strings: [String] = []
            for value in values {
                guard case .string(let text) = value else { return nil }
                strings.append(text)
            }
            return strings
        default:
            return nil
        }
    }

    /// The string elements of an array (others skipped), or a single string as one element.
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
