import NIOCore
import NIOPosix
import STUNWire
import Synchronization

/// Binds relay sockets on ports from `min-port`...`max-port`, and keeps ports reserved by
/// EVEN-PORT's R bit until a later Allocate claims them with RESERVATION-TOKEN.
///
/// RFC 8656 Section 7.2: ports are chosen at random in the range; a reservation lasts about
/// 30 seconds. Shared by every event loop (reservations may be claimed from any of them),
/// touched only on the control path.
final class RelayPortPool: Sendable {
    /// How long a reserved port waits for its claim.
    static let reservationLifetime: TimeAmount = .seconds(30)
    /// How many random ports are tried before an Allocate fails with 508.
    static let bindAttempts = 24
    /// The most ports held for EVEN-PORT reservations at once; past it, an Allocate asking for
    /// one gets 508, so reservations (which no quota counts) cannot exhaust the port range.
    static let maximumReservations = 1024

    private struct Reservation {
        var port: UInt16
        var channel: any Channel
    }

    private struct State {
        var generator = SystemRandomNumberGenerator()
        var reservations: [[UInt8]: Reservation] = [:]
    }

    let range: ClosedRange<UInt16>
    private let state = Mutex(State())

    init(range: ClosedRange<UInt16>) {
        self.range = range
    }

    /// A random port in the range, even when asked.
    func randomPort(even: Bool) -> UInt16 {
        self.state.withLock { state in
            var port = UInt16.random(in: self.range, using: &state.generator)
            if even, port % 2 == 1 {
                port = port > self.range.lowerBound ? port - 1 : port + 1
            }
            return port
        }
    }

    /// Keeps `channel` (bound to `port`) open for a later claim; returns the token, or nil
    /// when ``maximumReservations`` are held already.
    func reserve(port: UInt16, channel: any Channel) -> [UInt8]? {
        let token: [UInt8]? = self.state.withLock { state in
            guard state.reservations.count < Self.maximumReservations else { return nil }
            var token = [UInt8](repeating: 0, count: 8)
            repeat {
                for index in token.indices {
                    token[index] = UInt8.random(in: .min ... .max, using: &state.generator)
                }
            } while state.reservations[token] != nil
            state.reservations[token] = Reservation(port: port, channel: channel)
            return token
        }
        guard let token else { return nil }
        channel.eventLoop.scheduleTask(in: Self.reservationLifetime) { [weak self] in
            self?.expire(token)
        }
        return token
    }

    /// Takes the reservation named by `token`: closes its placeholder socket and returns its port.
    func claim(_ token: [UInt8]) -> EventLoopFuture<UInt16>? {
        guard let reservation = self.state.withLock({ $0.reservations.removeValue(forKey: token) }) else { return nil }
        return reservation.channel.close().map { reservation.port }
    }

    private func expire(_ token: [UInt8]) {
        self.state.withLock { $0.reservations.removeValue(forKey: token) }?.channel.close(promise: nil)
    }

    /// Closes every reserved socket (shutdown).
    func closeAll() {
        let reservations = self.state.withLock { state in
            defer { state.reservations.removeAll() }
            return Array(state.reservations.values)
        }
        for reservation in reservations {
            reservation.channel.close(promise: nil)
        }
    }
}
