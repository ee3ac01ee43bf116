/// CONNECTION-ID: names a TCP connection between the relay and a peer.
///
/// RFC 6062 Section 6.2: one 32-bit number chosen by the server.
public struct ConnectionID: STUNUInt32Attribute, Hashable {
    public static let attributeType = STUNAttributeType.connectionID
    /// The connection identifier.
    public var rawValue: UInt32
    /// Creates the attribute from an identifier.
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }
}
