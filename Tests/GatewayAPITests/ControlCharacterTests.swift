import Foundation
import GatewayAPI
import Hummingbird
import HummingbirdTesting
import Testing

/// A token's user or a room with a control character is never minted: such a name could forge
/// lines in the relay's text log.
struct ControlCharacterTests {
    @Test(arguments: ["alice\nFORGED level=error", "alice\r", "al\u{0}ice", "alice\u{7F}", "alice\u{85}", "alice\u{2028}"])
    func aUserWithAControlCharacterIsRefused(user: String) async throws {
        let harness = try await Harness.make()
        let token = try await TestKeys.hs256(.valid(user: user, now: harness.clock.now))
        try await harness.test { client in
            let response = try await Harness.credentials(client, token: token)
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "control_character")
        }
        #expect(harness.counter("turngate_gateway_credentials_issued_total") == 0)
    }

    @Test
    func aRoomWithAControlCharacterIsRefusedFromTheBodyAndFromTheToken() async throws {
        let harness = try await Harness.make()
        let plain = try await TestKeys.hs256(.valid(now: harness.clock.now))
        let roomInToken = try await TestKeys.hs256(.valid(now: harness.clock.now, extra: ["roomId": .string("room\n42")]))
        try await harness.test { client in
            let fromBody = try await Harness.credentials(client, token: plain, body: #"{"roomId": "room\u000a42"}"#)
            #expect(fromBody.status == .badRequest)
            #expect(fromBody.errorCode == "control_character")
            let fromToken = try await Harness.credentials(client, token: roomInToken)
            #expect(fromToken.status == .badRequest)
            #expect(fromToken.errorCode == "control_character")
            let printable = try await Harness.credentials(client, token: plain, body: #"{"roomId": "room 42 = \"x\""}"#)
            #expect(printable.status == .ok)
        }
    }

    @Test
    func theExchangeMintsPrintableNamesAndRefusesControlCharacters() async throws {
        let exchange = await CredentialExchange(configuration: Harness.configuration())
        let now = TestClock().now
        let good = try await TestKeys.hs256(.valid(now: now))
        let credential = try await exchange.exchange(authorization: "Bearer \(good)", body: ByteBuffer(), now: now)
        #expect(credential.username.hasSuffix(":alice"))
        let bad = try await TestKeys.hs256(.valid(user: "alice\nFORGED", now: now))
        await #expect(throws: GatewayError(code: "control_character", status: .badRequest, message: "")) {
            try await exchange.exchange(authorization: "Bearer \(bad)", body: ByteBuffer(), now: now)
        }
        await #expect(throws: GatewayError(code: "malformed_token", status: .unauthorized, message: "")) {
            try await exchange.exchange(authorization: "Bearer a.b.c", body: ByteBuffer(), now: now)
        }
    }
}
