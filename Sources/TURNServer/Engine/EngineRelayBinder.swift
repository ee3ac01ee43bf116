import DatagramEngine
import NIOCore
import STUNWire
import TURNCore

/// Opens the relay sockets an Allocate of a UDP client asked for (RFC 8656 Section 7.2) on
/// the client's engine, at once: a socket, options and a bind, no NIO bootstrap. Ports are
/// picked at random from the pool; a port found taken is passed over for another, up to
/// ``RelayPortPool/bindAttempts`` times.
enum EngineRelayBinder {
    /// Binds the relay socket, and for a dual allocation the IPv6 one too; a failure of the
    /// second leaves the allocation IPv4-only (the client hears ADDRESS-ERROR-CODE).
    ///
    /// - Parameter loop: where the lapse of an EVEN-PORT reservation is timed.
    /// - Throws: ``RelaySocketBinder/Failure`` (the client hears 508); nothing is left open.
    static func bind(
        _ request: RelayRequest,
        pool: RelayPortPool,
        engine: DatagramEngine,
        receiver: any DatagramReceiver,
        loop: any EventLoop
    ) throws(RelaySocketBinder.Failure) -> EngineRelaySockets {
        let relay = EngineRelaySockets(engine: engine, pool: pool)
        if let token = request.reservationToken {
            guard let port = pool.claim(token) else { throw RelaySocketBinder.Failure() }
            do {
                try relay.open(request.address, port: port, dontFragment: request.dontFragment, receiver: receiver)
            } catch {
                throw RelaySocketBinder.Failure()
            }
        } else {
            try Self.bindRandom(request, into: relay, pool: pool, receiver: receiver, loop: loop)
        }
        if let additional = request.additionalAddress {
            for _ in 0..<RelayPortPool.bindAttempts {
                guard let port = pool.randomPort() else { break }
                if (try? relay.open(additional, port: port, dontFragment: false, receiver: receiver)) != nil { break }
            }
        }
        return relay
    }

    /// A random port of the range (even for EVEN-PORT) and, for the R bit, a reservation of
    /// the next one.
    private static func bindRandom(
        _ request: RelayRequest,
        into relay: EngineRelaySockets,
        pool: RelayPortPool,
        receiver: any DatagramReceiver,
        loop: any EventLoop
    ) throws(RelaySocketBinder.Failure) {
        for _ in 0..<RelayPortPool.bindAttempts {
            guard let port = pool.randomPort(even: request.evenPort, withNext: request.reserveNextPort) else { break }
            do {
                try relay.open(request.address, port: port, dontFragment: request.dontFragment, receiver: receiver)
            } catch {
                continue
            }
            guard request.reserveNextPort else { return }
            guard let next = pool.range.successor(of: port) else { break }
            do {
                relay.reservationToken = try RelaySocketBinder.reserve(request.address, port: next, pool: pool, on: loop)
                return
            } catch is RelaySocketBinder.Failure {
                break
            } catch {
                relay.close()
            }
        }
        relay.close()
        throw RelaySocketBinder.Failure()
    }
}
