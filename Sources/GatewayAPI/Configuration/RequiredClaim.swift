/// A claim every token must carry (`jwt-required-claim`, `name=value`).
///
/// A string claim must equal `value`; an array claim must contain it.
public struct RequiredClaim: Sendable, Hashable {
    /// The claim name, e.g. `type`.
    public var name: String
    /// The value required, e.g. `webrtc`.
    public var value: String

    /// Creates a requirement.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
