#if canImport(Glibc)
import Glibc
#endif
import DatagramEngine
import NIOCore
import STUNWire
import Synchronization
import TURNCore

/// Binds relay sockets on ports from `min-port`...`max-port`, and keeps ports reserved by
/// EVEN-PORT's R bit until a later Allocate claims them with RESERVATION-TOKEN.
///
/// RFC 8656 Section 7.2: ports are chosen at random in the range; a reservation lasts about
/// 30 seconds (``TURNCore/ReservationLedger/lifetime``), and ends sooner when the allocation
/// that made it is deleted (its relay socket closes). A reserved port is held by a bound
/// socket nobody reads (a placeholder), closed when the reservation ends. Shared by every
/// relay loop (reservations may be claimed from any of them), touched only on the control
/// path.
final class RelayPortPool: Sendable {
    /// How long a reserved port waits for its claim.
    static let reservationLifetime: TimeAmount = .seconds(ReservationLedger.lifetime.components.seconds)
    /// How many random ports are tried before an Allocate fails with 508.
    static let bindAttempts = 24
    /// The most ports held for EVEN-PORT reservations at once; past it, an Allocate asking for
    /// one gets 508. Reservations also count against `user-quota` and `total-quota`; this
    /// bounds them when the quotas are set to 0 (no limit).
    static let maximumReservations = 1024

    private struct Reservation {
        var port: UInt16
        var placeholder: DatagramSender
    }

    private struct State {
        var generator = SystemRandomNumberGenerator()
        var reservations: [[UInt8]: Reservation] = [:]
        /// The ports this server's relay sockets are bound to, with how many sockets hold each
        /// (a claimed reservation's socket binds before its placeholder's close is seen).
        var held: [UInt16: Int] = [:]
    }

    let range: RelayPortRange
    private let state = Mutex(State())

    init(range: ClosedRange<UInt16>) {
        self.range = RelayPortRange(range)
    }

    /// A random port in the range that no relay socket of this server holds, or nil when
    /// every one is held.
    func randomPort() -> UInt16? {
        self.randomPort(even: false, withNext: false)
    }

    /// Marks `port` held until `channel` (bound to it) closes, so later picks pass it by.
    func hold(_ port: UInt16, by channel: any Channel) {
        self.hold(port)
        channel.closeFuture.whenComplete { _ in self.unhold(port) }
    }

    /// Marks `port` held by one more socket, so later picks pass it by.
    func hold(_ port: UInt16) {
        self.state.withLock { $0.held[port, default: 0] += 1 }
    }

    /// A socket that held `port` closed.
    func unhold(_ port: UInt16) {
        self.state.withLock { state in
            let left = (state.held[port] ?? 1) - 1
            state.held[port] = left > 0 ? left : nil
        }
    }

    /// A random port for an Allocate that no relay socket of this server holds: even for
    /// EVEN-PORT, and with a free successor in the range for the R bit; nil when the range holds
    /// no such port (the Allocate gets 508 at once).
    func randomPort(even: Bool, withNext: Bool) -> UInt16? {
        self.state.withLock { state in
            let held = state.held
            return self.range.randomPort(even: even, withNext: withNext, using: &state.generator) { held[$0] == nil }
        }
    }

    /// Keeps `placeholder` (bound to `port`) open for a later claim, at most
    /// ``reservationLifetime`` (timed on `loop`); returns the token, or nil (and closes the
    /// placeholder) when ``maximumReservations`` are held already.
    func reserve(port: UInt16, placeholder: DatagramSender, on loop: any EventLoop) -> [UInt8]? {
        let token: [UInt8]? = self.state.withLock { state in
            guard state.reservations.count < Self.maximumReservations else { return nil }
            var token = [UInt8](repeating: 0, count: 8)
            repeat {
                for index in token.indices {
                    token[index] = UInt8.random(in: .min ... .max, using: &state.generator)
                }
            } while state.reservations[token] != nil
            state.reservations[token] = Reservation(port: port, placeholder: placeholder)
            state.held[port, default: 0] += 1
            return token
        }
        guard let token else {
            Self.close(placeholder)
            return nil
        }
        loop.scheduleTask(in: Self.reservationLifetime) { [weak self] in
            self?.release(token)
        }
        return token
    }

    /// Takes the reservation named by `token`: closes its placeholder socket and returns its port.
    func claim(_ token: [UInt8]) -> UInt16? {
        guard let reservation = self.state.withLock({ $0.reservations.removeValue(forKey: token) }) else { return nil }
        self.end(reservation)
        return reservation.port
    }

    /// Ends the reservation named by `token`, if it is still held: it lapsed, or the allocation
    /// that made it is gone. Closes its placeholder socket.
    func release(_ token: [UInt8]) {
        guard let reservation = self.state.withLock({ $0.reservations.removeValue(forKey: token) }) else { return }
        self.end(reservation)
    }

    /// Closes every reserved socket (shutdown).
    func closeAll() {
        let reservations = self.state.withLock { state in
            defer { state.reservations.removeAll() }
            return Array(state.reservations.values)
        }
        for reservation in reservations {
            self.end(reservation)
        }
    }

    private func end(_ reservation: Reservation) {
        Self.close(reservation.placeholder)
        self.unhold(reservation.port)
    }

    private static func close(_ placeholder: DatagramSender) {
        placeholder.close()
        _ = Glibc.close(placeholder.descriptor)
    }
}
