/// A named bandwidth class a JWT `permissions` entry grants (`bandwidth-class`, `name=kbps`).
public struct BandwidthClass: Sendable, Hashable {
    /// The permission name, e.g. `video`.
    public var name: String
    /// The bandwidth granted, in kbit/s per allocation and direction.
    public var kbps: Int

    /// Creates a class.
    public init(name: String, kbps: Int) {
        self.name = name
        self.kbps = kbps
    }
}
