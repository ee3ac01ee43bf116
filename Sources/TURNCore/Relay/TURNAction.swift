public import STUNWire

/// What the transport must do after the processor has seen a control message.
///
/// The handler-to-state-machine split of NIO's upgrade handlers: the processor decides, the
/// transport executes, with no protocol decisions of its own.
public enum TURNAction: Hashable, Sendable {
    /// Send these bytes to the client on the 5-tuple the request came from.
    case respond([UInt8], ResponseSummary)
    /// Send these bytes from `origin`, one of the server's UDP addresses, to `destination`: a
    /// Binding response under RFC 5780 CHANGE-REQUEST or RESPONSE-PORT.
    case redirect([UInt8], ResponseSummary, origin: STUNTransportAddress, destination: STUNTransportAddress)
    /// Bind a relay socket, then report back to the processor.
    case openRelay(RelayRequest)
    /// Close the relay sockets of this allocation: it was deleted. `endpoint` is what the
    /// transport stored with it (nil when it stored none).
    case closeRelay(FiveTuple, endpoint: EndpointReference? = nil)
    /// Send the bytes at `data` (a range of the message given to
    /// ``TURNRequestProcessor/handle(_:on:now:date:)``: a Send indication's DATA) from the
    /// allocation's relay socket to `peer`. The range lets the transport forward a slice of the
    /// received buffer instead of a copy.
    case sendToPeer(FiveTuple, peer: STUNTransportAddress, data: Range<Int>)
    /// Open a TCP connection from a TCP allocation's relayed address to a peer, then report
    /// back to the processor (RFC 6062 Section 5.2).
    case connectPeer(TCPConnectRequest)
    /// Turn the connection a ConnectionBind came on into a client data connection spliced to
    /// the peer connection (RFC 6062 Section 5.3).
    case bindConnection(TCPConnectionBindRequest)
    /// Send nothing.
    case ignore(TURNIgnoreReason)
}

/// Why a message got no action, for counting with a bounded label.
public enum TURNIgnoreReason: String, Hashable, Sendable, CaseIterable {
    /// Not STUN at all.
    case notSTUN = "not_stun"
    /// A response, or a malformed message that is not a request.
    case notARequest = "not_a_request"
    /// FINGERPRINT present and wrong.
    case badFingerprint = "bad_fingerprint"
    /// An indication that is not a Send, or a Binding indication (keep-alive).
    case indication
    /// A Send indication on a 5-tuple with no allocation.
    case noAllocation = "no_allocation"
    /// A Send indication without XOR-PEER-ADDRESS or DATA, or otherwise malformed.
    case malformedIndication = "malformed_indication"
    /// ChannelData that is malformed or names a channel that is not bound.
    case unboundChannel = "unbound_channel"
    /// A Send indication to a peer with no permission.
    case noPermission = "no_permission"
    /// A Send indication to a peer the policy denies.
    case deniedPeer = "denied_peer"
    /// A request arrived while the 5-tuple's Allocate is still binding its relay socket.
    case allocationPending = "allocation_pending"
    /// A request that failed authentication from a source that has had its share of 401 and
    /// 438 challenges (``ChallengeLimiter``): dropped, so the server is a poor reflector.
    case challengeLimited = "challenge_limited"
    /// A datagram from source port 0: no answer can reach it.
    case sourcePortZero = "source_port_zero"
    /// A datagram larger than the receive slot (possibly truncated): dropped, never relayed cut.
    case oversizedDatagram = "oversized_datagram"
    /// A datagram whose source address is neither IPv4 nor IPv6 (dropped).
    case unknownSource = "unknown_source"
    /// A Binding request to a node that does not answer them (`no-stun`).
    case stunDisabled = "stun_disabled"
    /// A TURN request or Send indication to a STUN-only node (`stun-only`).
    case turnDisabled = "turn_disabled"
}

/// What a response answered, for counting with bounded labels.
public struct ResponseSummary: Hashable, Sendable {
    /// The request's method.
    public var method: STUNMethod
    /// The error code, or nil for a success response.
    public var errorCode: STUNErrorCode?
    /// Why it was refused, when the reason is one operators count.
    public var refusal: TURNRefusal?

    /// Creates a summary.
    public init(method: STUNMethod, errorCode: STUNErrorCode?, refusal: TURNRefusal? = nil) {
        self.method = method
        self.errorCode = errorCode
        self.refusal = refusal
    }
}
