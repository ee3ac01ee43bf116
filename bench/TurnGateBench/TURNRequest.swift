import STUNWire

/// One TURN control request the bench sends, and how it is encoded with STUNWire.
///
/// RFC 8656: Allocate (Section 7.1), Refresh (Section 8.1), CreatePermission (Section 10.1),
/// ChannelBind (Section 12.1). Requests after the first 401 carry USERNAME, REALM, NONCE and
/// MESSAGE-INTEGRITY (RFC 8489 Section 9.2.4).
enum TURNRequest: Sendable {
    /// Allocate a UDP relayed address.
    case allocate
    /// Install a permission for the peer.
    case createPermission(IPv4Endpoint)
    /// Bind a channel number to the peer.
    case channelBind(UInt16, IPv4Endpoint)
    /// Refresh the allocation with this lifetime; 0 deletes it.
    case refresh(lifetime: UInt32)
    /// Not TURN: the bench forwarder's hello, asking for a relay socket towards the target.
    case forwarderHello(IPv4Endpoint)

    /// The STUN method, for messages.
    var method: STUNMethod {
        switch self {
        case .allocate: .allocate
        case .createPermission: .createPermission
        case .channelBind: .channelBind
        case .refresh: .refresh
        case .forwarderHello: .binding
        }
    }

    /// The request as a STUN message, with credentials when `auth` is given.
    ///
    /// - Parameters:
    ///   - transactionID: the request's transaction ID.
    ///   - auth: username, realm, nonce and key, or nil for the first, unauthenticated Allocate.
    func encode(transactionID: STUNTransactionID, auth: SessionAuth?) -> [UInt8] {
        var message = STUNMessage(type: STUNMessageType(method: self.method, messageClass: .request),
                                  transactionID: transactionID)
        switch self {
        case .allocate:
            message.append(RequestedTransport.udp)
        case .createPermission(let peer):
            message.append(XORPeerAddress(peer.transportAddress))
        case .channelBind(let channel, let peer):
            message.append(ChannelNumber(channel))
            message.append(XORPeerAddress(peer.transportAddress))
        case .refresh(let lifetime):
            message.append(Lifetime(lifetime))
        case .forwarderHello(let target):
            return ForwarderHello.request(target: target)
        }
        guard let auth else { return message.serialize() }
        message.append(Username(auth.username))
        message.append(Realm(auth.realm))
        message.append(Nonce(auth.nonce))
        return message.serialize(integrity: (key: auth.key, algorithm: .sha1), fingerprint: false)
    }
}

/// What authenticated requests on one allocation carry, learnt from the server's 401.
struct SessionAuth: Sendable {
    /// USERNAME.
    var username: String
    /// REALM, as the server sent it (or as `--realm` forced it).
    var realm: String
    /// The current NONCE.
    var nonce: String
    /// MD5(username:realm:password).
    var key: [UInt8]
}
