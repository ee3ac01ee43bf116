import NIOCore
import NIOPosix
import STUNWire
import TURNCore

/// Opens the relay socket an Allocate asked for (RFC 8656 Section 7.2), on the event loop of
/// the listener that received the Allocate.
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
        guard attemptsLeft > 0 else { return loop.makeFailedFuture(Failure()) }
        let port = pool.randomPort(even: false)
        return Self.bindPort(address, port: port, dontFragment: false, on: loop)
            .map { (channel: $0, port: port) }
            .flatMapError { _ in Self.bindAnyPort(address, pool: pool, on: loop, attemptsLeft: attemptsLeft - 1) }
    }

    private static func bindPrimary(_ request: RelayRequest, pool: RelayPortPool, on loop: any EventLoop) -> EventLoopFuture<Bound> {
        if let token = request.reservationToken {
            guard let claimed = pool.claim(token) else { return loop.makeFailedFuture(Failure()) }
            return claimed.hop(to: loop).flatMap { port in
                Self.bindPort(request.address, port: port, dontFragment: request.dontFragment, on: loop)
                    .map { Bound(channel: $0, port: port, reservationToken: nil) }
            }
        }
        return Self.bindRandom(request, pool: pool, on: loop, attemptsLeft: RelayPortPool.bindAttempts)
    }

    private static func bindRandom(
        _ request: RelayRequest,
        pool: RelayPortPool,
        on loop: any EventLoop,
        attemptsLeft: Int
    ) -> EventLoopFuture<Bound> {
        guard attemptsLeft > 0 else { return loop.makeFailedFuture(Failure()) }
        let port = pool.randomPort(even: request.evenPort)
        let retry = { @Sendable (_: any Error) -> EventLoopFuture<Bound> in
            Self.bindRandom(request, pool: pool, on: loop, attemptsLeft: attemptsLeft - 1)
        }
        return Self.bindPort(request.address, port: port, dontFragment: request.dontFragment, on: loop).flatMap { channel in
            guard request.reserveNextPort else {
                return loop.makeSucceededFuture(Bound(channel: channel, port: port, reservationToken: nil))
            }
            guard port < pool.range.upperBound else {
                return channel.close().flatMap { retry(Failure()) }
            }
            return Self.bindPort(request.address, port: port + 1, dontFragment: false, on: loop).flatMapThrowing { reserved in
                guard let token = pool.reserve(port: port + 1, channel: reserved) else {
                    reserved.close(promise: nil)
                    throw Failure()
                }
                return Bound(channel: channel, port: port, reservationToken: token)
            }.flatMapError { error in
                channel.close().flatMap {
                    error is Failure ? loop.makeFailedFuture(error) : retry(error)
                }
            }
        }.flatMapError(retry)
    }

    private static func bindPort(
        _ address: IPAddress,
        port: UInt16,
        dontFragment: Bool,
        on loop: any EventLoop
    ) -> EventLoopFuture<any Channel> {
        let socketAddress: SocketAddress
        do {
            socketAddress = try SocketAddress(STUNTransportAddress(address: address, port: port))
        } catch {
            return loop.makeFailedFuture(error)
        }
        var bootstrap = DatagramBootstrap(group: loop)
            .channelOption(.datagramVectorReadMessageCount, value: 16)
            .channelOption(.maxMessagesPerRead, value: 1)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 16 * 2048))
        if case .v6 = socketAddress {
            bootstrap = bootstrap.channelOption(.ipOption(.ipv6_v6only), value: 1)
        }
        if dontFragment {
            switch socketAddress {
            case .v6:
                bootstrap = bootstrap.channelOption(.socket(.init(IPPROTO_IPV6), .init(IPV6_DONTFRAG)), value: 1)
            default:
                bootstrap = bootstrap.channelOption(.socket(.init(IPPROTO_IP), .init(IP_MTU_DISCOVER)), value: Int(IP_PMTUDISC_DO))
            }
        }
        return bootstrap.bind(to: socketAddress)
    }
}
