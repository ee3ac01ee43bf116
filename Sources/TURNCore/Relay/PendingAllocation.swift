import STUNWire
import TURNAuth

/// An Allocate that passed every check and waits for its relay socket.
struct PendingAllocation: Sendable {
    var request: STUNMessage
    var user: AuthenticatedUser
    var lifetime: Duration
    var addressErrors: [AddressErrorCode]
    /// Whether a second quota slot is held for the port EVEN-PORT's R bit reserves.
    var reservesNextPort: Bool = false
}
