import DatagramEngine
import STUNWire

/// The relay sockets of a UDP client's allocation, read by the engine that hosts the client:
/// one, or two for a dual (IPv4 and IPv6) allocation, with the ports they hold in the pool
/// and the EVEN-PORT reservation the allocation made. Engine thread only.
final class EngineRelaySockets {
    let engine: DatagramEngine
    let pool: RelayPortPool
    private(set) var sockets: [DatagramSocket] = []
    private(set) var ports: [UInt16] = []
    /// The next port, reserved by the R bit, released when the allocation goes.
    var reservationToken: [UInt8]?

    init(engine: DatagramEngine, pool: RelayPortPool) {
        self.engine = engine
        self.pool = pool
    }

    /// The first socket's port (the relayed transport address's port).
    var port: UInt16? { self.ports.first }
    /// The second socket's port, for a dual allocation.
    var additionalPort: UInt16? { self.ports.count > 1 ? self.ports[1] : nil }

    /// Opens and reads one more relay socket on `address`:`port`; the pool counts the port as
    /// held until ``close()``.
    func open(_ address: IPAddress, port: UInt16, dontFragment: Bool, receiver: any DatagramReceiver) throws(DatagramSocketError) {
        let socket = try self.engine.open(
            STUNTransportAddress(address: address, port: port), options: .init(dontFragment: dontFragment), role: .relay, receiver: receiver)
        self.sockets.append(socket)
        self.ports.append(port)
        self.pool.hold(port)
    }

    /// Closes every socket, gives their ports back and ends the reservation.
    func close() {
        for socket in self.sockets { self.engine.close(socket) }
        for port in self.ports { self.pool.unhold(port) }
        if let token = self.reservationToken { self.pool.release(token) }
        self.sockets = []
        self.ports = []
        self.reservationToken = nil
    }
}
