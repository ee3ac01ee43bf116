package import STUNWire

/// What gets the datagrams of a socket an engine reads.
package protocol DatagramReceiver: AnyObject {
    /// A whole datagram from `source` on `socket`; the bytes are valid during the call only.
    func receive(_ datagram: UnsafeRawBufferPointer, from source: STUNTransportAddress, on socket: DatagramSocket)
}

/// A UDP socket an engine reads: a listener, or an allocation's relay socket.
///
/// Made and closed on the engine's thread (``DatagramEngine/open(_:options:role:receiver:)``,
/// ``DatagramEngine/close(_:)``); sends go through ``sender`` and the engine's outbox.
/// Sendable only so its engine can be asked, from another thread, to close it.
package final class DatagramSocket: @unchecked Sendable {
    /// What a socket is for: it decides the size of its receive buffers.
    package enum Role: Sendable {
        /// A STUN/TURN listener: any datagram up to 65,507 bytes arrives whole.
        case listener
        /// An allocation's relay socket: peer datagrams up to ``DatagramEngine/relayDatagramLimit``.
        case relay
    }

    /// Sends through the socket; retired when it closes.
    package let sender: DatagramSender
    /// The address it is bound to.
    package let local: STUNTransportAddress
    package let role: Role
    /// Where its datagrams go; nil once closed.
    var receiver: (any DatagramReceiver)?
    /// Its place in the engine's socket table, and which use of that place it is.
    let slot: Int
    let generation: UInt32
    /// Whether a receive request is armed (io_uring).
    var armed = false

    init(sender: DatagramSender, local: STUNTransportAddress, role: Role, receiver: any DatagramReceiver, slot: Int, generation: UInt32) {
        self.sender = sender
        self.local = local
        self.role = role
        self.receiver = receiver
        self.slot = slot
        self.generation = generation
    }

    /// Whether it is still open.
    package var isOpen: Bool { self.receiver != nil }

    /// The tag of its receive requests and events: slot, generation and role.
    var tag: UInt64 {
        UInt64(self.slot) | UInt64(self.generation & 0x1FFF_FFFF) << 32 | (self.role == .listener ? EngineTag.listenerBit : 0)
    }
}

/// The meaning of the bits of a request's tag (io_uring user data, epoll data).
enum EngineTag {
    /// A send completion; the low bits are the outbox message index.
    static let sendBit: UInt64 = 1 << 63
    /// A listener's receive (its buffers come from the large group).
    static let listenerBit: UInt64 = 1 << 62
    /// The engine's wake-up descriptor.
    static let wake: UInt64 = 1 << 61

    static func slot(_ tag: UInt64) -> Int { Int(tag & 0xFFFF_FFFF) }
    static func generation(_ tag: UInt64) -> UInt32 { UInt32((tag >> 32) & 0x1FFF_FFFF) }
}
