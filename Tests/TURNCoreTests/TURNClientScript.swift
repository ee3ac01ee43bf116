import STUNWire
import TURNCore

/// A scripted TURN client: builds requests the way a real client does.
///
/// RFC 8656 Section 7.1 and RFC 8489 Section 9.2.3: the first request goes without
/// credentials; the 401 (or a later 438) carries REALM and NONCE, which the client keeps; every
/// later request carries USERNAME, REALM and NONCE and is signed with the MD5 long-term key in
/// MESSAGE-INTEGRITY, followed by FINGERPRINT. Each request gets a fresh transaction ID unless
/// the script retransmits one on purpose.
struct TURNClientScript {
    /// The client's 5-tuple: its address, the server's and UDP.
    var fiveTuple: FiveTuple
    /// The USERNAME sent.
    var username: String
    /// The password the key is derived from.
    var password: String
    /// The REALM learnt from the last challenge.
    var realm: String?
    /// The NONCE learnt from the last challenge.
    var nonce: String?

    private var transactionCounter: UInt64

    /// The server's transport address every script talks to.
    static let server = STUNTransportAddress(address: .v4(0xC000_0202), port: 3478)

    /// A client at `192.0.2.1:port` (any address works: the client address is not a peer).
    init(username: String, password: String, port: UInt16, address: IPAddress = .v4(0xC000_0201)) {
        self.fiveTuple = FiveTuple(
            client: STUNTransportAddress(address: address, port: port),
            server: Self.server,
            transport: .udp
        )
        self.username = username
        self.password = password
        self.transactionCounter = UInt64(port) << 32
    }

    /// The static user `alice:secret`.
    static func alice(port: UInt16 = 40_000) -> TURNClientScript {
        TURNClientScript(username: "alice", password: "secret", port: port)
    }

    /// The static user `bob:hunter2`.
    static func bob(port: UInt16 = 41_000) -> TURNClientScript {
        TURNClientScript(username: "bob", password: "hunter2", port: port)
    }

    /// The client's transport address.
    var address: STUNTransportAddress { self.fiveTuple.client }

    /// The long-term key for the learnt realm: MD5(username:realm:password), RFC 8489 Section 9.2.2.
    var key: [UInt8] {
        LongTermKey.md5(username: self.username, realm: self.realm ?? "", password: self.password)
    }

    /// A fresh transaction ID, different for every request of every client.
    mutating func nextTransactionID() -> STUNTransactionID {
        self.transactionCounter += 1
        return STUNTransactionID(high: 0x5455_524E, low: self.transactionCounter)
    }

    /// Keeps REALM and NONCE from a 401 or 438 response.
    ///
    /// - Returns: whether the response carried both.
    @discardableResult
    mutating func learn(from challenge: STUNMessage) -> Bool {
        guard let realm = try? challenge.attribute(Realm.self), let nonce = try? challenge.attribute(Nonce.self) else {
            return false
        }
        self.realm = realm.text
        self.nonce = nonce.text
        return true
    }

    /// A request without credentials: the first request of a session.
    mutating func unauthenticated(
        _ method: STUNMethod,
        _ attributes: [any STUNAttributeValue] = [],
        raw: [STUNAttribute] = [],
        transactionID: STUNTransactionID? = nil
    ) -> [UInt8] {
        let message = self.message(method, .request, attributes, raw: raw, transactionID: transactionID)
        return message.serialize(integrity: nil, fingerprint: true)
    }

    /// A request with USERNAME, REALM and NONCE, signed with ``key``.
    mutating func signed(
        _ method: STUNMethod,
        _ attributes: [any STUNAttributeValue] = [],
        raw: [STUNAttribute] = [],
        transactionID: STUNTransactionID? = nil
    ) -> [UInt8] {
        var message = self.message(method, .request, attributes, raw: raw, transactionID: transactionID)
        message.append(Username(self.username))
        message.append(Realm(self.realm ?? ""))
        message.append(Nonce(self.nonce ?? ""))
        return message.serialize(integrity: (self.key, .sha1), fingerprint: true)
    }

    /// An indication (never authenticated), such as Send.
    mutating func indication(_ method: STUNMethod, _ attributes: [any STUNAttributeValue]) -> [UInt8] {
        self.message(method, .indication, attributes, raw: [], transactionID: nil).serialize(
            integrity: nil,
            fingerprint: false
        )
    }

    /// A Send indication carrying `data` to `peer` (RFC 8656 Section 11.1).
    mutating func send(_ data: [UInt8], to peer: STUNTransportAddress) -> [UInt8] {
        self.indication(.send, [XORPeerAddress(peer), DataAttribute(data)])
    }

    private mutating func message(
        _ method: STUNMethod,
        _ messageClass: STUNMessageClass,
        _ attributes: [any STUNAttributeValue],
        raw: [STUNAttribute],
        transactionID: STUNTransactionID?
    ) -> STUNMessage {
        let transactionID = transactionID ?? self.nextTransactionID()
        var message = STUNMessage(
            type: STUNMessageType(method: method, messageClass: messageClass),
            transactionID: transactionID
        )
        for attribute in attributes {
            message.append(attribute)
        }
        message.attributes.append(contentsOf: raw)
        return message
    }
}
