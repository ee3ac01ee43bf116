import NIOCore
import Synchronization

/// What every relay loop of the node shares about TCP allocations (RFC 6062): the peer
/// connections by CONNECTION-ID, so a ConnectionBind accepted on any loop finds its peer
/// connection, and the ports of TCP relay listeners.
///
/// Listeners share their address with the connections made from it (`SO_REUSEPORT`, so that
/// a Connect leaves from the relayed transport address), which also means the kernel would
/// let a second listener bind the same port; the port set keeps two allocations apart.
/// Control path only.
final class TCPRelayShared: Sendable {
    private struct State {
        var peers: [UInt32: any Channel] = [:]
        var ports: Set<UInt16> = []
    }

    private let state = Mutex(State())

    init() {}

    /// Records the peer connection of `id`.
    func register(_ channel: any Channel, id: UInt32) {
        self.state.withLock { $0.peers[id] = channel }
    }

    /// The peer connection of `id`.
    func peer(_ id: UInt32) -> (any Channel)? {
        self.state.withLock { $0.peers[id] }
    }

    /// Forgets the peer connection of `id`.
    func remove(_ id: UInt32) {
        self.state.withLock { _ = $0.peers.removeValue(forKey: id) }
    }

    /// Takes `port` for a TCP relay listener; false when another listener has it.
    func claimPort(_ port: UInt16) -> Bool {
        self.state.withLock { $0.ports.insert(port).inserted }
    }

    /// Gives `port` back.
    func releasePort(_ port: UInt16) {
        self.state.withLock { _ = $0.ports.remove(port) }
    }
}

/// The transport side of one TCP allocation: its listening socket and peer connections.
final class TCPRelayEndpoint {
    /// The listening socket on the relayed transport address.
    var listener: (any Channel)?
    /// Its port, claimed in ``TCPRelayShared``.
    var port: UInt16?
    /// The peer connections by CONNECTION-ID.
    var peers: [UInt32: any Channel] = [:]
    /// The ConnectionBind timers by CONNECTION-ID.
    var bindTimers: [UInt32: Scheduled<Void>] = [:]

    /// Closes the listener and every peer connection (their client data connections follow).
    func closeAll(shared: TCPRelayShared) {
        self.listener?.close(promise: nil)
        self.listener = nil
        if let port = self.port {
            shared.releasePort(port)
            self.port = nil
        }
        for (id, channel) in self.peers {
            shared.remove(id)
            channel.close(promise: nil)
        }
        self.peers.removeAll()
        for timer in self.bindTimers.values {
            timer.cancel()
        }
        self.bindTimers.removeAll()
    }
}

/// A peer connection was refused or could not be set up.
struct TCPPeerRefused: Error {}
