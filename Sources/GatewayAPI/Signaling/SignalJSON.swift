import Foundation

/// A JSON value as signaling carries it: `signal`'s `data` is any JSON and is passed on
/// unchanged (numbers as IEEE doubles, like JavaScript).
///
/// Decoding recurses once per level: documents are checked with ``JSONDepth`` first.
enum SignalJSON: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([SignalJSON])
    case object([String: SignalJSON])

    /// The deepest nesting of arrays and objects accepted in a message.
    static let maximumDepth = 32

    /// Parses `bytes`; nil when they are not JSON or nest deeper than ``maximumDepth``.
    static func parse(_ bytes: some Collection<UInt8>) -> SignalJSON? {
        guard !JSONDepth.exceeds(bytes, limit: Self.maximumDepth) else { return nil }
        return try? JSONDecoder().decode(SignalJSON.self, from: Data(bytes))
    }

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
        } else if let value = try? container.decode([SignalJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: SignalJSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The compact JSON text; keys sorted, so equal values give equal text.
    var text: String {
        guard let data = try? Self.encoder.encode(self) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The string, when this is one.
    var string: String? {
        if case .string(let value) = self { value } else { nil }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
