import STUNWire
import Testing

struct SendIndicationViewTests {
    static let transactionID = STUNTransactionID(high: 0xA1A2_A3A4, low: 0xB1B2_B3B4_B5B6_B7B8)
    static let peerV4 = STUNTransportAddress(address: .v4(0x0808_0404), port: 5000)
    static let peerV6 = STUNTransportAddress(address: .v6(high: 0x2001_0DB8_0000_0001, low: 0x0000_0000_0000_0042), port: 6000)

    static func indication(peer: STUNTransportAddress?, data: [UInt8]?, fingerprint: Bool = false) -> [UInt8] {
        var message = STUNMessage(type: SendIndicationView.messageType, transactionID: Self.transactionID)
        if let peer { message.append(XORPeerAddress(peer)) }
        if let data { message.append(DataAttribute(data)) }
        return message.serialize(integrity: nil, fingerprint: fingerprint)
    }

    @Test(arguments: [peerV4, peerV6], [false, true])
    func readsPeerAndDataInPlace(peer: STUNTransportAddress, fingerprint: Bool) throws {
        let data: [UInt8] = [1, 2, 3, 4, 5]
        let bytes = Self.indication(peer: peer, data: data, fingerprint: fingerprint)
        let view = try SendIndicationView(parsing: bytes.span)
        #expect(view.peer == peer)
        #expect(Array(bytes[view.data]) == data)
        let recognised = SendIndicationView.isSendIndication(bytes.span)
        #expect(recognised)
    }

    @Test func agreesWithTheFullParser() throws {
        let bytes = Self.indication(peer: Self.peerV6, data: Array(0..<37), fingerprint: true)
        let view = try SendIndicationView(parsing: bytes.span)
        let message = try STUNMessage(parsing: bytes)
        #expect(try message.attribute(XORPeerAddress.self)?.address == view.peer)
        #expect(try message.attribute(DataAttribute.self)?.bytes == Array(bytes[view.data]))
    }

    @Test func requiresPeerAndData() {
        #expect(throws: STUNParseError.invalidAttributeValue) {
            try SendIndicationView(parsing: Self.indication(peer: nil, data: [1]).span)
        }
        #expect(throws: STUNParseError.invalidAttributeValue) {
            try SendIndicationView(parsing: Self.indication(peer: Self.peerV4, data: nil).span)
        }
    }

    @Test func rejectsAWrongFingerprint() {
        var bytes = Self.indication(peer: Self.peerV4, data: [9, 9], fingerprint: true)
        bytes[bytes.count - 1] ^= 1
        #expect(throws: STUNParseError.invalidAttributeValue) { try SendIndicationView(parsing: bytes.span) }
    }

    @Test func rejectsOtherMessageTypes() {
        var bytes = Self.indication(peer: Self.peerV4, data: [1])
        bytes[1] = 0x17
        let recognised = SendIndicationView.isSendIndication(bytes.span)
        #expect(!recognised)
        #expect(throws: STUNParseError.invalidAttributeValue) { try SendIndicationView(parsing: bytes.span) }
    }

    @Test func truncationFailsOrKeepsWhatIsWhole() throws {
        let bytes = Self.indication(peer: Self.peerV6, data: Array(0..<13), fingerprint: true)
        let whole = try SendIndicationView(parsing: bytes.span)
        for length in 0..<bytes.count {
            var cut = Array(bytes.prefix(length))
            if cut.count >= 4 {
                let bodyLength = max(0, cut.count - 20)
                cut[2] = UInt8(truncatingIfNeeded: bodyLength >> 8)
                cut[3] = UInt8(truncatingIfNeeded: bodyLength)
            }
            if let view = try? SendIndicationView(parsing: cut.span) {
                #expect(view == whole, "a cut at \(length) bytes parsed to something else")
            }
        }
    }
}

struct SendIndicationViewAttributeTests {
    static func indication(extra: STUNAttribute) -> [UInt8] {
        var message = STUNMessage(type: SendIndicationView.messageType, transactionID: SendIndicationViewTests.transactionID)
        message.append(XORPeerAddress(SendIndicationViewTests.peerV4))
        message.append(DataAttribute([1, 2, 3]))
        message.attributes.append(extra)
        return message.serialize()
    }

    @Test func discardsUnknownComprehensionRequiredAttributes() {
        let bytes = Self.indication(extra: STUNAttribute(type: STUNAttributeType(rawValue: 0x7F01), value: [0]))
        #expect(throws: STUNParseError.invalidAttributeValue) { try SendIndicationView(parsing: bytes.span) }
    }

    @Test func acceptsDontFragmentAndOptionalAttributes() throws {
        for extra in [STUNAttribute(type: .dontFragment, value: []), STUNAttribute(type: .software, value: Array("x".utf8))] {
            let bytes = Self.indication(extra: extra)
            #expect(try SendIndicationView(parsing: bytes.span).peer == SendIndicationViewTests.peerV4)
        }
    }
}
