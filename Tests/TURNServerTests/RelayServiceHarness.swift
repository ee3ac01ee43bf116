import CoreMetrics
import Logging
import NIOCore
import NIOPosix
import TURNAuth
import TURNCore
import TURNMetrics
@testable import TURNServer

/// Runs the relay service for a test: alice/secret in `realm`, loopback relay addresses and
/// peers, and a drain when the test's body ends (or throws).
enum RelayServiceHarness {
    static func run(
        realm: String,
        configure: (inout TURNServerService.Configuration) -> Void,
        _ body: @Sendable (UInt16) async throws -> Void
    ) async throws {
        var relay = RelayConfiguration()
        relay.relayIPv4 = .v4(0x7F00_0001)
        relay.peerPolicy = PeerAddressPolicy(configuration: .init(allowLoopbackPeers: true))
        let authenticator = LongTermAuthenticator(
            realm: realm,
            store: CredentialStore(users: [try UserEntry(parsing: "alice:secret")]),
            issuer: NonceIssuer(key: Array(repeating: 3, count: 32))
        )
        let port = UInt16.random(in: 20_000...29_999)
        var configuration = TURNServerService.Configuration(
            listeningIPs: ["127.0.0.1"], port: Int(port), relay: relay, authenticator: authenticator)
        configure(&configuration)
        let service = try TURNServerService(
            configuration: configuration,
            group: NIOSingletons.posixEventLoopGroup,
            metrics: RelayMetrics(factory: NOOPMetricsHandler.instance, ignoreReasons: TURNServerService.ignoreReasons, errorCodes: [400]),
            logger: Logger(label: "relay-test")
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            while !service.isReady {
                try await Task.sleep(for: .milliseconds(20))
            }
            do {
                try await body(port)
            } catch {
                service.drain(deadline: .zero, remaining: 0)
                throw error
            }
            service.drain(deadline: .zero, remaining: 0)
            try await group.waitForAll()
        }
    }
}
