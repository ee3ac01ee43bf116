import DatagramEngine
import NIOCore
import NIOPosix
import STUNWire
import TURNCore

/// Opens the relay socket an Allocate of a TCP or TLS client asked for (RFC 8656 Section
/// 7.2), read by NIO on the event loop of the client's connection. (UDP clients' relay
/// sockets are opened by their engine: ``EngineRelayBinder``.)
enum RelaySocketBinder {
    /// A bound relay socket.
    struct Bound {
        var channel: any Channel
        var port: UInt16
        var reservationToken: [UInt8]?
        /// The IPv6 socket of a dual allocation, when it could be bound.
        var additional: (channel: any Channel, port: UInt16)? = nil
    }

    /// The bind failed for a reason the client should hear as 508.
    struct Failure: Error {}

    /// Binds the relay socket, and for a dual allocation the IPv6 one too; a failure of the
    /// second leaves the allocation IPv4-only (the client hears ADDRESS-ERROR-CODE).
    static func bind(_ request: RelayRequest, pool: RelayPortPool, on loop: any EventLoop) -> EventLoopFuture<Bound> {
        let primary = Self.bindPrimary(request, pool: pool, on: loop)
        guard let additionalAddress = request.additionalAddress else { return primary }
        return primary.flatMap { bound in
            Self.bindAnyPort(additionalAddress, pool: pool, on: loop, attemptsLeft: RelayPortPool.bindAttempts)
                .map { additional in
                    var bound = bound
                    bound.additional = additional
                    return bound
                }
                .recover { _ in bound }
        }
    }

    private static func bindAnyPort(
        _ address: IPAddress,
        pool: RelayPortPool,
        on loop: any EventLoop,
        attemptsLeft: Int
    ) -> EventLoopFuture<(channel: any Channel, port: UInt16)> {
        guard attemptsLeft > 0, let port = pool.randomPort() else { return loop.makeFailedFuture(Failure()) }
        return Self.bindPort(address, port: port, dontFragment: false, pool: pool, on: loop)
            .map { (channel: $0, port: port) }
            .flatMapError { _ in Self.bindAnyPort(address, pool: pool, on: loop, attemptsLeft: attemptsLeft - 1) }
    }

    private static func bindPrimary(_ request: RelayRequest, pool: RelayPortPool, on loop: any EventLoop) -> EventLoopFuture<Bound> {
        if let token = request.reservationToken {
            guard let port = pool.claim(token) else { return loop.makeFailedFuture(Failure()) }
            return Self.bindPort(request.address, port: port, dontFragment: request.dontFragment, pool: pool, on: loop)
                .map { Bound(channel: $0, port: port, reservationToken: nil) }
        }
        return Self.bindRandom(request, pool: pool, on: loop, attemptsLeft: RelayPortPool.bindAttempts)
    }

    /// Binds a random port of the range (even for EVEN-PORT) and, for the R bit, reserves the
    /// next one, which the pool keeps until it is claimed, it lapses, or this relay socket
    /// closes. A port that is taken is retried up to ``RelayPortPool/bindAttempts`` times; a
    /// range with no qualifying port, or a full reservation table, fails at once (508).
    private static func bindRandom(
        _ request: RelayRequest,
        pool: RelayPortPool,
        on loop: any EventLoop,
        attemptsLeft: Int
    ) -> EventLoopFuture<Bound> {
        guard attemptsLeft > 0, let port = pool.randomPort(even: request.evenPort, withNext: request.reserveNextPort) else {
            return loop.makeFailedFuture(Failure())
        }
        return Self.bindPort(request.address, port: port, dontFragment: request.dontFragment, pool: pool, on: loop).flatMap { channel in
            guard request.reserveNextPort else {
                return loop.makeSucceededFuture(Bound(channel: channel, port: port, reservationToken: nil))
            }
            guard let next = pool.range.successor(of: port) else {
                channel.close(promise: nil)
                return loop.makeFailedFuture(Failure())
            }
            let token: [UInt8]
            do {
                token = try Self.reserve(request.address, port: next, pool: pool, on: loop)
            } catch {
                channel.close(promise: nil)
                return loop.makeFailedFuture(error)
            }
            channel.closeFuture.whenComplete { _ in pool.release(token) }
            return loop.makeSucceededFuture(Bound(channel: channel, port: port, reservationToken: token))
        }.flatMapError { error in
            error is Failure
                ? loop.makeFailedFuture(error)
                : Self.bindRandom(request, pool: pool, on: loop, attemptsLeft: attemptsLeft - 1)
        }
    }

    /// Binds a relay socket to `port`; the pool counts the port as held until it closes.
    private static func bindPort(
        _ address: IPAddress,
        port: UInt16,
        dontFragment: Bool,
        pool: RelayPortPool,
        on loop: any EventLoop
    ) -> EventLoopFuture<any Channel> {
        DatagramChannelFactory.bind(
            STUNTransportAddress(address: address, port: port),
            options: DatagramSender.Options(dontFragment: dontFragment),
            on: loop
        ).map { channel in
            pool.hold(port, by: channel)
            return channel
        }
    }

    /// Binds a placeholder socket to `port` and reserves it (EVEN-PORT's R bit).
    ///
    /// - Throws: ``DatagramSocketError`` when the port is taken (another port may do), or
    ///   ``Failure`` when the reservation table is full.
    static func reserve(_ address: IPAddress, port: UInt16, pool: RelayPortPool, on loop: any EventLoop) throws -> [UInt8] {
        let placeholder = try DatagramSender.open(boundTo: SocketAddressStorage(STUNTransportAddress(address: address, port: port)), options: .init())
        guard let token = pool.reserve(port: port, placeholder: placeholder, on: loop) else { throw Failure() }
        return token
    }
}
