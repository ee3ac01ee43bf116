import Foundation
import STUNWire
import TURNAuth
import TURNCore
import Testing

/// A ``TURNRequestProcessor`` with scripted time, and the transport's side of the conversation.
///
/// Time never passes by itself: ``advance(by:)`` moves the monotonic instant and the wall-clock
/// date together (STYLE.md 4.8), so "allocate, then 601 s later, 437" is a script, not a sleep.
/// The harness plays the transport: it feeds bytes to the processor, binds relay sockets when
/// asked (``completeAllocation``), and parses what comes back.
struct TURNRelayHarness {
    /// The realm every client learns.
    static let realm = "turngate.test"
    /// 192.0.2.10, the IPv4 relay address.
    static let relayIPv4 = IPAddress.v4(0xC000_020A)
    /// 2001:db8::10, the IPv6 relay address when IPv6 relaying is on.
    static let relayIPv6 = IPAddress.v6(high: 0x2001_0DB8_0000_0000, low: 0x10)
    /// The wall-clock time at the start of every script.
    static let startDate = Date(timeIntervalSince1970: 1_700_000_000)
    /// The monotonic time at the start of every script.
    static let start = ContinuousClock.now
    /// The REST shared secrets, in configuration order.
    static let restSecrets = ["s1", "s2"]

    /// The processor under test.
    var processor: TURNRequestProcessor
    /// The quota ledger, possibly shared with other harnesses (other event loops).
    let quotas: QuotaLedger
    /// The time since the start of the script.
    private(set) var elapsed: Duration = .zero

    /// Creates a processor for the static users `alice:secret` and `bob:hunter2`, REST secrets
    /// `s1` and `s2`, and an IPv4 relay at 192.0.2.10; `configure` changes anything else.
    init(
        quotas: QuotaLedger = QuotaLedger(),
        revocations: RevocationList = RevocationList(),
        drain: DrainSwitch = DrainSwitch(),
        configure: (inout RelayConfiguration) -> Void = { _ in }
    ) throws {
        var configuration = RelayConfiguration()
        configuration.relayIPv4 = Self.relayIPv4
        configure(&configuration)
        let store = CredentialStore(
            users: [try UserEntry(parsing: "alice:secret"), try UserEntry(parsing: "bob:hunter2")],
            restSecrets: Self.restSecrets.map { CredentialSecret($0) }
        )
        let authenticator = LongTermAuthenticator(
            realm: Self.realm,
            store: store,
            issuer: NonceIssuer(key: Array(repeating: 7, count: 32))
        )
        self.quotas = quotas
        self.processor = TURNRequestProcessor(
            configuration: configuration,
            authenticator: authenticator,
            quotas: quotas,
            revocations: revocations,
            drain: drain
        )
    }

    /// The monotonic time now.
    var now: ContinuousClock.Instant { Self.start + self.elapsed }

    /// The wall-clock time now.
    var date: Date { Self.startDate.addingTimeInterval(TimeInterval(self.elapsed.components.seconds)) }

    /// Lets `duration` pass.
    mutating func advance(by duration: Duration) {
        self.elapsed += duration
    }

    /// Hands one message from `client` to the processor.
    mutating func handle(_ bytes: [UInt8], from client: TURNClientScript) -> [TURNAction] {
        self.processor.handle(bytes.span, on: client.fiveTuple, now: self.now, date: self.date)
    }

    /// Hands one message to the processor and parses its only action, which must be a response.
    mutating func response(to bytes: [UInt8], from client: TURNClientScript) throws -> STUNMessage {
        try Self.onlyResponse(self.handle(bytes, from: client))
    }

    /// Sends an unauthenticated Allocate, expects 401 with REALM and NONCE, and lets the client learn them.
    mutating func challenge(_ client: inout TURNClientScript) throws {
        let response = try self.response(to: client.unauthenticated(.allocate, [RequestedTransport.udp]), from: client)
        #expect(try response.attribute(ErrorCodeAttribute.self)?.code == .unauthorized)
        let learnt = client.learn(from: response)
        #expect(learnt, "no REALM and NONCE in the challenge")
    }

    /// Sends a signed request as a real client does, and returns the final response.
    ///
    /// Learns a nonce first when the client has none, and retries once with the fresh nonce
    /// after a 438 (RFC 8489 Section 9.2.5). Tests of the 438 itself send with ``response(to:from:)``.
    mutating func request(
        _ client: inout TURNClientScript,
        _ method: STUNMethod,
        _ attributes: [any STUNAttributeValue] = [],
        raw: [STUNAttribute] = []
    ) throws -> STUNMessage {
        if client.nonce == nil { try self.challenge(&client) }
        let response = try self.response(to: client.signed(method, attributes, raw: raw), from: client)
        guard try response.attribute(ErrorCodeAttribute.self)?.code == .staleNonce, client.learn(from: response) else {
            return response
        }
        return try self.response(to: client.signed(method, attributes, raw: raw), from: client)
    }

    /// Sends a signed Allocate (again after a 438) and returns the relay socket the processor asks for.
    mutating func openRelay(
        _ client: inout TURNClientScript,
        _ attributes: [any STUNAttributeValue] = [RequestedTransport.udp],
        raw: [STUNAttribute] = []
    ) throws -> RelayRequest {
        if client.nonce == nil { try self.challenge(&client) }
        var actions = self.handle(client.signed(.allocate, attributes, raw: raw), from: client)
        if let bytes = actions.first?.responseBytes, actions.first?.summary?.errorCode == .staleNonce {
            _ = client.learn(from: try STUNMessage(parsing: bytes))
            actions = self.handle(client.signed(.allocate, attributes, raw: raw), from: client)
        }
        #expect(actions.count == 1)
        return try #require(actions.first?.relayRequest, "expected .openRelay, got \(actions)")
    }

    /// Reports the relay socket bound on `relayPort` and parses the Allocate success response.
    mutating func complete(_ relay: RelayRequest, relayPort: UInt16 = 50_000, reservationToken: [UInt8]? = nil) throws
        -> STUNMessage
    {
        try Self.onlyResponse(
            self.processor.completeAllocation(
                relay,
                relayPort: relayPort,
                reservationToken: reservationToken,
                now: self.now
            )
        )
    }

    /// The whole Allocate: challenge if needed, signed request, relay socket, success response.
    mutating func allocate(
        _ client: inout TURNClientScript,
        _ attributes: [any STUNAttributeValue] = [RequestedTransport.udp],
        relayPort: UInt16 = 50_000
    ) throws -> STUNMessage {
        let relay = try self.openRelay(&client, attributes)
        let response = try self.complete(relay, relayPort: relayPort)
        #expect(response.type == STUNMessageType(method: .allocate, messageClass: .successResponse))
        return response
    }

    /// Installs permissions for `peers` with one CreatePermission and expects success.
    mutating func permit(_ client: inout TURNClientScript, _ peers: [STUNTransportAddress]) throws {
        let response = try self.request(&client, .createPermission, peers.map { XORPeerAddress($0) })
        try expectSuccess(response, signedWith: client.key)
    }

    /// The only action, which must be a response, parsed.
    static func onlyResponse(_ actions: [TURNAction]) throws -> STUNMessage {
        #expect(actions.count == 1, "expected one action, got \(actions)")
        let bytes = try #require(actions.first?.responseBytes, "expected a response, got \(actions)")
        return try STUNMessage(parsing: bytes)
    }
}

/// Checks that `response` is a success response signed with `key` (and with FINGERPRINT, as the request had).
func expectSuccess(_ response: STUNMessage, signedWith key: [UInt8], sourceLocation: SourceLocation = #_sourceLocation)
    throws
{
    #expect(response.type.messageClass == .successResponse, sourceLocation: sourceLocation)
    #expect(try response.attribute(ErrorCodeAttribute.self) == nil, sourceLocation: sourceLocation)
    #expect(
        response.hasValidMessageIntegrity(key: key),
        "not signed with the user's key",
        sourceLocation: sourceLocation
    )
    #expect(response.hasValidFingerprint, sourceLocation: sourceLocation)
}

/// Checks that `response` is an error response with exactly `code`, signed with `key`, or
/// carrying no MESSAGE-INTEGRITY at all when `key` is nil.
func expectError(
    _ response: STUNMessage,
    _ code: STUNErrorCode,
    signedWith key: [UInt8]?,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    #expect(response.type.messageClass == .errorResponse, sourceLocation: sourceLocation)
    #expect(try response.attribute(ErrorCodeAttribute.self)?.code == code, sourceLocation: sourceLocation)
    if let key {
        #expect(
            response.hasValidMessageIntegrity(key: key),
            "not signed with the user's key",
            sourceLocation: sourceLocation
        )
    } else {
        #expect(response.messageIntegrityOffset == nil, "signed, but should not be", sourceLocation: sourceLocation)
    }
}

extension TURNAction {
    /// The bytes of a `.respond`.
    var responseBytes: [UInt8]? {
        guard case .respond(let bytes, _) = self else { return nil }
        return bytes
    }

    /// The summary of a `.respond`.
    var summary: ResponseSummary? {
        guard case .respond(_, let summary) = self else { return nil }
        return summary
    }

    /// The request of an `.openRelay`.
    var relayRequest: RelayRequest? {
        guard case .openRelay(let request) = self else { return nil }
        return request
    }

    /// Whether the action is a response (indications must never get one).
    var isResponse: Bool { self.responseBytes != nil }
}

extension STUNTransportAddress {
    /// A peer address from its text, e.g. `8.8.8.8` or `::ffff:127.0.0.1`.
    static func peer(_ text: String, port: UInt16 = 7000) throws -> STUNTransportAddress {
        STUNTransportAddress(address: try IPAddress(parsing: text), port: port)
    }
}
