public import STUNWire
public import TURNAuth

/// An allocation with what the processor keeps beside it: the credentials that created it
/// (later requests must use the same user, RFC 8656 Section 5) and the Allocate answer, sent
/// again for a retransmitted Allocate (Section 7.2).
public struct AllocationRecord: Sendable {
    /// The allocation.
    public var allocation: Allocation
    /// The user that created it and the key its responses are signed with.
    public var user: AuthenticatedUser
    /// The Allocate request's transaction ID.
    public var allocateTransactionID: STUNTransactionID
    /// The success response sent for it.
    public var allocateResponse: [UInt8]
    /// The peer connections of a TCP allocation (RFC 6062); nil for a UDP allocation.
    public var tcp: TCPAllocationState? = nil
    /// The token of the port EVEN-PORT's R bit reserved with this allocation, if any: the
    /// reservation (and its quota slot) ends with the allocation unless claimed before.
    public var reservationToken: [UInt8]? = nil
    /// The transport's side of the allocation, given to
    /// ``TURNRequestProcessor/completeAllocation(_:relayPort:additionalPort:reservationToken:endpoint:now:)``.
    public var endpoint: (any AllocationEndpoint)? = nil
}
