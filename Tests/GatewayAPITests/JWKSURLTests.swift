import Foundation
import GatewayAPI
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A JWKS URL served by a local Hummingbird app: fetched at start, fetched again for an
/// unknown `kid`, at most once per cool-down.
struct JWKSURLTests {
    final class JWKSServer: Sendable {
        private let state = Mutex((document: "", fetches: 0))

        var fetches: Int { self.state.withLock { $0.fetches } }

        func serve(_ document: String) { self.state.withLock { $0.document = document } }

        var router: Router<BasicRequestContext> {
            let router = Router()
            router.get("jwks.json") { _, _ in
                let document = self.state.withLock { state in
                    state.fetches += 1
                    return state.document
                }
                return Response(
                    status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: document)))
            }
            return router
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func unknownKidsRefetchAfterTheCooldown() async throws {
        let server = JWKSServer()
        server.serve(try TestKeys.jwks(rsaKid: "rsa-1", p256Kid: nil, p384Kid: nil, ed25519Kid: nil))
        try await Application(router: server.router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) {
            serverClient in
            let port = try #require(serverClient.port)
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/jwks.json"))
            let harness = try await Harness.make {
                $0.jwt.hmacSecrets = []
                $0.jwt.jwksURL = url
            }
            #expect(server.fetches == 1)
            let clock = harness.clock
            let rsaToken = try await TestKeys.token(.valid(now: clock.now), algorithm: "RS256", kid: "rsa-1")
            try await harness.test { client in
                let answer113 = try await Harness.credentials(client, token: rsaToken)
                #expect(answer113.status == .ok)
                #expect(server.fetches == 1)

                server.serve(try TestKeys.jwks(rsaKid: "rsa-1", p256Kid: "p256-1", p384Kid: nil, ed25519Kid: nil))
                clock.advance(by: 5)
                let ecToken = try await TestKeys.token(.valid(now: clock.now), algorithm: "ES256", kid: "p256-1")
                let answer5 = try await Harness.credentials(client, token: ecToken)
                #expect(answer5.errorCode == "unknown_key")
                #expect(server.fetches == 1)

                clock.advance(by: 30)
                let laterToken = try await TestKeys.token(.valid(now: clock.now), algorithm: "ES256", kid: "p256-1")
                let answer114 = try await Harness.credentials(client, token: laterToken)
                #expect(answer114.status == .ok)
                #expect(server.fetches == 2)

                clock.advance(by: 1)
                let strangerToken = try await TestKeys.token(.valid(now: clock.now), algorithm: "ES256", kid: "p256-9")
                let answer6 = try await Harness.credentials(client, token: strangerToken)
                #expect(answer6.errorCode == "unknown_key")
                #expect(server.fetches == 2)
            }
            #expect(harness.counter("turngate_jwks_fetches_total", [("outcome", "success")]) == 2)
            #expect(harness.counter("turngate_jwks_fetches_total", [("outcome", "cooldown")]) == 2)
        }
    }
}
