/// A JSON value as signaling carries it: `signal`'s `data` is any JSON and is passed on
/// unchanged (numbers as IEEE doubles, like JavaScript).
///
/// Read and written by hand (``parse(_:)``, ``text``): one pass over the bytes per message.
enum SignalJSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([SignalJSON])
    case object([String: SignalJSON])

    /// The deepest nesting of arrays and objects accepted in a message.
    static let maximumDepth = 32

    /// The string, when this is one.
    var string: String? {
        if case .string(let value) = self { value } else { nil }
    }
}
