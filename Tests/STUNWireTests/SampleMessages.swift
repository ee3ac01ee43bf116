import STUNWire

/// Valid messages built with STUNWire, beside the RFC 5769 vectors, for the truncation and
/// mutation tests: every attribute format, odd lengths, both integrity algorithms.
enum SampleMessages {
    static let transactionID = STUNTransactionID(high: 0x0102_0304, low: 0x0506_0708_090A_0B0C)
    static let key = Array("secret".utf8)

    /// An Allocate request with long-term credentials, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT.
    static var allocateRequest: [UInt8] {
        var message = STUNMessage(
            type: .init(method: .allocate, messageClass: .request),
            transactionID: Self.transactionID
        )
        message.append(RequestedTransport.udp)
        message.append(Lifetime(600))
        message.append(DontFragment())
        message.append(EvenPort(reserveNextPort: true))
        message.append(RequestedAddressFamily(.ipv6))
        message.append(Username("alice"))
        message.append(Realm("example.org"))
        message.append(Nonce("f//499k954d6OL34oL9FSTvy64sA"))
        message.append(PasswordAlgorithm.sha256)
        return message.serialize(integrity: (Self.key, .sha256), fingerprint: true)
    }

    /// An Allocate error response: ERROR-CODE with an odd-length reason, UNKNOWN-ATTRIBUTES,
    /// PASSWORD-ALGORITHMS, SOFTWARE and FINGERPRINT.
    static var allocateErrorResponse: [UInt8] {
        var message = STUNMessage(
            type: .init(method: .allocate, messageClass: .errorResponse),
            transactionID: Self.transactionID
        )
        message.append(ErrorCodeAttribute(.unknownAttribute))
        message.append(UnknownAttributes([STUNAttributeType(rawValue: 0x7F01)]))
        message.append(PasswordAlgorithms([.md5, .sha256, PasswordAlgorithm(number: 0x7777, parameters: [1, 2, 3])]))
        message.append(Software("TurnGate"))
        return message.serialize(integrity: nil, fingerprint: true)
    }

    /// A Data indication: XOR-PEER-ADDRESS (IPv6), an odd-length DATA and ICMP.
    static var dataIndication: [UInt8] {
        var message = STUNMessage(
            type: .init(method: .data, messageClass: .indication),
            transactionID: Self.transactionID
        )
        message.append(
            XORPeerAddress(STUNTransportAddress(address: .v6(groups: 0x2001, 0xDB8, 0, 0, 0, 0, 0, 1), port: 5000))
        )
        message.append(DataAttribute([0xDE, 0xAD, 0xBE, 0xEF, 0x01]))
        message.append(ICMPAttribute(type: 3, code: 4, errorData: 1400))
        return message.serialize()
    }

    /// A ChannelBind request with MESSAGE-INTEGRITY (SHA-1) and FINGERPRINT.
    static var channelBindRequest: [UInt8] {
        var message = STUNMessage(
            type: .init(method: .channelBind, messageClass: .request),
            transactionID: Self.transactionID
        )
        message.append(ChannelNumber(0x4001))
        message.append(XORPeerAddress(STUNTransportAddress(address: .v4(0xC000_0201), port: 49152)))
        message.append(Username("alice"))
        return message.serialize(integrity: (Self.key, .sha1), fingerprint: true)
    }

    /// Every built sample.
    static var all: [[UInt8]] {
        [Self.allocateRequest, Self.allocateErrorResponse, Self.dataIndication, Self.channelBindRequest]
    }
}
