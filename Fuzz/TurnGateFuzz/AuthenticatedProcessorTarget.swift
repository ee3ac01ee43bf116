import Foundation
import STUNWire
import TURNAuth
import TURNCore

/// Structure-aware fuzzing of the TURN request processor after authentication.
///
/// Random bytes almost never carry a valid MESSAGE-INTEGRITY, so the plain parser target stops
/// at the 401. Here the input chooses up to eight messages (method, class, attributes with raw
/// or well-formed values, peer addresses, integrity algorithm, FINGERPRINT) and the harness adds
/// USERNAME, REALM, a valid NONCE and the MAC with the static user's key, then runs them on a
/// processor that already holds an allocation for the client, with ChannelData and peer data
/// in between. The code after authentication (Refresh, CreatePermission, ChannelBind, Send,
/// Connect, quotas, expiry) is what gets fuzzed.
enum AuthenticatedProcessorTarget {
    static let realm = "fuzz"
    static let username = "alice"
    static let password = "secret"
    static let date = Date(timeIntervalSince1970: 1_700_000_000)
    static let start = ContinuousClock.now
    static let md5Key = LongTermKey.md5(username: username, realm: realm, password: password)
    static let sha256Key = LongTermKey.sha256(username: username, realm: realm, password: password)

    static let clients = [
        FiveTuple(
            client: STUNTransportAddress(address: .v4(0x0A00_0002), port: 40_000),
            server: STUNTransportAddress(address: .v4(0x0A00_0001), port: 3478), transport: .udp),
        FiveTuple(
            client: STUNTransportAddress(address: .v6(high: 0x2001_0DB8_0000_0000, low: 2), port: 40_001),
            server: STUNTransportAddress(address: .v6(high: 0x2001_0DB8_0000_0000, low: 1), port: 3478), transport: .tcp),
    ]

    static let methods: [STUNMethod] = [
        .allocate, .refresh, .createPermission, .channelBind, .send, .binding, .connect, .connectionBind, .data,
        .connectionAttempt,
    ]

    static let attributeTypes: [STUNAttributeType] = [
        .xorPeerAddress, .channelNumber, .lifetime, .data, .requestedTransport, .requestedAddressFamily, .evenPort,
        .reservationToken, .dontFragment, .connectionID, .additionalAddressFamily, .passwordAlgorithm, .software,
        .userHash, .icmp, .xorMappedAddress, .unknownAttributes,
    ]

    /// A nonce the processors accept at ``date``, read from the 401 of an unauthenticated Allocate.
    static let nonce: String = {
        var processor = makeProcessor()
        let request = STUNMessage(
            type: STUNMessageType(method: .allocate, messageClass: .request), transactionID: STUNTransactionID(high: 1, low: 1),
            attributes: [STUNAttribute(type: .requestedTransport, value: [17, 0, 0, 0])])
        for case .respond(let bytes, _) in processor.handle(request.serialize().span, on: clients[0], now: start, date: date) {
            if let response = try? STUNMessage(parsing: bytes), let nonce = try? response.attribute(Nonce.self) {
                return nonce.text
            }
        }
        fatalError("the processor issued no nonce")
    }()

    static func makeProcessor() -> TURNRequestProcessor {
        var configuration = RelayConfiguration()
        configuration.relayIPv4 = .v4(0x0A00_0001)
        configuration.relayIPv6 = .v6(high: 0x2001_0DB8_0000_0000, low: 1)
        configuration.userQuota = 4
        configuration.totalQuota = 8
        let authenticator = LongTermAuthenticator(
            realm: realm,
            store: CredentialStore(
                users: [UserEntry(name: username, credential: .password(CredentialSecret(password)))],
                restSecrets: [CredentialSecret("s3cret")]),
            issuer: NonceIssuer(key: Array(repeating: 7, count: 32)))
        return TURNRequestProcessor(configuration: configuration, authenticator: authenticator, quotas: QuotaLedger())
    }

    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        var processor = makeProcessor()
        var now = start
        var nextPort: UInt16 = 50_000
        var transaction: UInt64 = 1
        let allocate = STUNMessage(
            type: STUNMessageType(method: .allocate, messageClass: .request), transactionID: STUNTransactionID(high: 0, low: 0),
            attributes: [STUNAttribute(type: .requestedTransport, value: [17, 0, 0, 0])])
        self.deliver(self.signed(allocate, sha256: false, fingerprint: false), to: &processor, on: clients[0], now: now, port: &nextPort)
        precondition(processor.summaries(now: now).count == 1, "the harness's signed Allocate made no allocation")

        for _ in 0..<8 where !input.isEmpty {
            let fiveTuple = input.pick(clients)
            transaction += 1
            let message = self.message(&input, transactionID: STUNTransactionID(high: 0, low: transaction))
            let flags = input.byte()
            let bytes = flags & 0x04 == 0 ? self.signed(message, sha256: flags & 0x01 != 0, fingerprint: flags & 0x02 != 0) : message.serialize()
            if message.type == STUNMessageType(method: .send, messageClass: .indication) {
                _ = processor.sendIndication(bytes.span, on: fiveTuple, now: now)
            } else {
                self.deliver(bytes, to: &processor, on: fiveTuple, now: now, port: &nextPort)
            }
            _ = processor.channelRoute(on: fiveTuple, channel: 0x4000 | input.uint16() & 0x0FFF, now: now)
            _ = processor.peerDelivery(on: fiveTuple, from: self.address(&input), now: now)
            now += .seconds(Int(input.byte()) * 8)
        }
        _ = processor.summaries(now: now)
        _ = processor.end { user, _ in user == username && flagsEndAll(bytes) }
        _ = processor.expire(now: now + .seconds(7200))
        _ = processor.removeAll()
    }

    /// Ends every allocation for some inputs, so both paths (end, then expiry) run.
    private static func flagsEndAll(_ bytes: [UInt8]) -> Bool {
        bytes.last.map { $0 & 1 == 1 } ?? false
    }

    /// Runs one message through the processor, completing any relay it opens.
    private static func deliver(
        _ bytes: [UInt8], to processor: inout TURNRequestProcessor, on fiveTuple: FiveTuple, now: ContinuousClock.Instant,
        port: inout UInt16
    ) {
        for action in processor.handle(bytes.span, on: fiveTuple, now: now, date: date) {
            guard case .openRelay(let request) = action else { continue }
            if port % 5 == 4 {
                _ = processor.failAllocation(request)
            } else {
                _ = processor.completeAllocation(request, relayPort: port, reservationToken: nil, now: now)
            }
            port &+= 2
        }
    }

    /// The message with USERNAME, REALM, NONCE, the MAC of the user's key and, if asked, FINGERPRINT.
    private static func signed(_ message: STUNMessage, sha256: Bool, fingerprint: Bool) -> [UInt8] {
        var message = message
        message.attributes += [
            STUNAttribute(Username(username), transactionID: message.transactionID),
            STUNAttribute(Realm(realm), transactionID: message.transactionID),
            STUNAttribute(Nonce(nonce), transactionID: message.transactionID),
        ]
        if sha256 {
            message.attributes.append(
                STUNAttribute(PasswordAlgorithm.sha256, transactionID: message.transactionID))
        }
        return message.serialize(integrity: (sha256 ? sha256Key : md5Key, sha256 ? .sha256 : .sha1), fingerprint: fingerprint)
    }

    /// A message whose method, class and attributes the input chooses.
    private static func message(_ input: inout FuzzInput, transactionID: STUNTransactionID) -> STUNMessage {
        let selector = input.byte()
        let method = selector & 0x80 == 0 ? methods[Int(selector) % methods.count] : STUNMethod(rawValue: input.uint16())
        let messageClass: STUNMessageClass = selector & 0x40 == 0 ? .request : .indication
        var attributes: [STUNAttribute] = []
        for _ in 0..<Int(input.byte() % 8) {
            let choice = input.byte()
            let type = choice & 0x80 == 0 ? attributeTypes[Int(choice) % attributeTypes.count] : STUNAttributeType(rawValue: input.uint16())
            if choice & 0x40 == 0 {
                attributes.append(self.wellFormed(type, &input, transactionID: transactionID))
            } else {
                attributes.append(STUNAttribute(type: type, value: input.bytes(Int(input.byte()))))
            }
        }
        return STUNMessage(type: STUNMessageType(method: method, messageClass: messageClass), transactionID: transactionID, attributes: attributes)
    }

    /// A value of the right shape for the attributes whose shape is hard to find by chance.
    private static func wellFormed(_ type: STUNAttributeType, _ input: inout FuzzInput, transactionID: STUNTransactionID) -> STUNAttribute {
        switch type {
        case .xorPeerAddress:
            return STUNAttribute(XORPeerAddress(self.address(&input)), transactionID: transactionID)
        case .channelNumber:
            return STUNAttribute(type: type, value: [0x40 | input.byte() & 0x3F, input.byte(), 0, 0])
        case .lifetime:
            return STUNAttribute(type: type, value: [0, 0, input.byte(), input.byte()])
        case .requestedTransport:
            return STUNAttribute(type: type, value: [input.pick([17, 6, 0]), 0, 0, 0])
        case .requestedAddressFamily, .additionalAddressFamily:
            return STUNAttribute(type: type, value: [input.pick([1, 2, 3]), 0, 0, 0])
        case .evenPort:
            return STUNAttribute(type: type, value: [input.byte() & 0x80])
        case .data:
            return STUNAttribute(type: type, value: input.bytes(Int(input.byte())))
        default:
            return STUNAttribute(type: type, value: input.bytes(Int(input.byte() % 16)))
        }
    }

    /// A peer address: public, private, loopback or mapped, IPv4 or IPv6, any port.
    private static func address(_ input: inout FuzzInput) -> STUNTransportAddress {
        let kind = input.byte()
        let address: IPAddress
        switch kind % 4 {
        case 0: address = .v4(input.pick([0x0808_0808, 0x7F00_0001, 0x0A00_0001, 0xC0A8_0001, 0x0000_0000]))
        case 1: address = .v4(input.uint32())
        case 2: address = .v6(high: 0x2001_4860_0000_0000, low: UInt64(input.byte()))
        default: address = .v6(high: input.uint64(), low: input.uint64())
        }
        return STUNTransportAddress(address: address, port: kind & 0x80 == 0 ? input.uint16() : 0)
    }
}
