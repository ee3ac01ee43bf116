/// The transport's side of one allocation: its relay sockets and how to reach its client.
///
/// The processor keeps it in the allocation's record, so the node has one allocation table
/// keyed by 5-tuple (RFC 8656 Section 2.2): the data path finds the allocation and its relay
/// sockets with one lookup, and the endpoint comes back in the ``TURNAction/closeRelay(_:endpoint:)``
/// that deletes the allocation. TURNCore never looks inside. Confined, like the processor that
/// holds it, to one thread.
public protocol AllocationEndpoint: AnyObject, Sendable {}

/// An ``AllocationEndpoint`` compared by identity, so the actions that carry one stay `Hashable`.
public struct EndpointReference: Hashable, Sendable {
    /// The endpoint.
    public let endpoint: any AllocationEndpoint

    /// Wraps `endpoint`.
    public init(_ endpoint: any AllocationEndpoint) {
        self.endpoint = endpoint
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.endpoint === rhs.endpoint }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(self.endpoint))
    }
}
