import STUNWire
import Testing
import TURNTestSupport

struct RFC5769Tests {
    @Test(arguments: RFC5769.Vector.allCases)
    func parsesHeader(vector: RFC5769.Vector) throws {
        let message = try STUNMessage(parsing: vector.bytes)
        #expect(message.type == vector.messageType)
        #expect(message.transactionID == vector.transactionID)
        #expect(message.bytes == vector.bytes)
    }

    @Test(arguments: RFC5769.Vector.allCases)
    func fingerprintValidatesWhenPresent(vector: RFC5769.Vector) throws {
        let message = try STUNMessage(parsing: vector.bytes)
        #expect(message.hasValidFingerprint == vector.hasFingerprint)
        #expect((message.fingerprintOffset != nil) == vector.hasFingerprint)
    }

    @Test(arguments: RFC5769.Vector.allCases)
    func messageIntegrityValidatesWithTheRFCKey(vector: RFC5769.Vector) throws {
        let message = try STUNMessage(parsing: vector.bytes)
        #expect(message.integrityAlgorithm == .sha1)
        #expect(message.hasValidMessageIntegrity(key: vector.integrityKey))
        #expect(!message.hasValidMessageIntegritySHA256(key: vector.integrityKey))
    }

    @Test(arguments: RFC5769.Vector.allCases)
    func messageIntegrityFailsWithAWrongKey(vector: RFC5769.Vector) throws {
        let message = try STUNMessage(parsing: vector.bytes)
        var wrongKey = vector.integrityKey
        wrongKey[0] ^= 0x01
        #expect(!message.hasValidMessageIntegrity(key: wrongKey))
        #expect(!message.hasValidMessageIntegrity(key: []))
        #expect(!message.hasValidMessageIntegrity(key: Array(vector.integrityKey.dropLast())))
    }

    @Test(arguments: RFC5769.Vector.allCases)
    func reserialisesByteForByte(vector: RFC5769.Vector) throws {
        let message = try STUNMessage(parsing: vector.bytes)
        #expect(message.serialize() == vector.bytes)
    }

    @Test(arguments: RFC5769.Vector.allCases)
    func resigningReproducesTheVector(vector: RFC5769.Vector) throws {
        let message = try STUNMessage(parsing: vector.bytes)
        let resigned = message.serialize(integrity: (vector.integrityKey, .sha1), fingerprint: vector.hasFingerprint)
        #expect(resigned == vector.bytes)
    }

    @Test func sampleRequestAttributesDecode() throws {
        let message = try STUNMessage(parsing: RFC5769.sampleRequest)
        #expect(
            message.attributes.map(\.type) == [
                .software, .priority, .iceControlled, .username, .messageIntegrity, .fingerprint,
            ]
        )
        #expect(try message.attribute(Software.self) == Software("STUN test client"))
        #expect(try message.attribute(Username.self) == Username("evtj:h6vY"))
        #expect(message.attribute(.priority)?.value == [0x6E, 0x00, 0x01, 0xFF])
        #expect(message.attribute(.iceControlled)?.value == [0x93, 0x2F, 0xF9, 0xB1, 0x51, 0x26, 0x3B, 0x36])
        #expect(message.attribute(.username)?.padding == [0x20, 0x20, 0x20])
        #expect(try message.attribute(Fingerprint.self) == Fingerprint(0xE57A_3BCF))
    }

    @Test func sampleIPv4ResponseMapsTo192_0_2_1() throws {
        let message = try STUNMessage(parsing: RFC5769.sampleIPv4Response)
        let mapped = try #require(try message.attribute(XORMappedAddress.self))
        #expect(mapped.address == STUNTransportAddress(address: .v4(0xC000_0201), port: 32853))
        #expect(mapped.address.description == "192.0.2.1:32853")
        #expect(try message.attribute(Software.self) == Software("test vector"))
        #expect(message.attribute(.software)?.padding == [0x20])
    }

    @Test func sampleIPv6ResponseMapsTo2001_db8() throws {
        let message = try STUNMessage(parsing: RFC5769.sampleIPv6Response)
        let mapped = try #require(try message.attribute(XORMappedAddress.self))
        let expected = IPAddress.v6(groups: 0x2001, 0x0DB8, 0x1234, 0x5678, 0x0011, 0x2233, 0x4455, 0x6677)
        #expect(mapped.address == STUNTransportAddress(address: expected, port: 32853))
        #expect(mapped.address.description == "[2001:db8:1234:5678:11:2233:4455:6677]:32853")
        #expect(try message.attribute(Software.self) == Software("test vector"))
    }

    @Test func longTermRequestAttributesDecode() throws {
        let message = try STUNMessage(parsing: RFC5769.sampleRequestLongTerm)
        #expect(message.attributes.map(\.type) == [.username, .nonce, .realm, .messageIntegrity])
        #expect(try message.attribute(Username.self) == Username(RFC5769.longTermUsername))
        #expect(try message.attribute(Nonce.self) == Nonce("f//499k954d6OL34oL9FSTvy64sA"))
        #expect(try message.attribute(Realm.self) == Realm("example.org"))
    }

    @Test func rebuildingTheIPv4ResponseFromTypedAttributesMatchesTheRFC() throws {
        var message = STUNMessage(
            type: STUNMessageType(method: .binding, messageClass: .successResponse),
            transactionID: RFC5769.transactionID
        )
        message.append(Software("test vector"))
        message.append(XORMappedAddress(STUNTransportAddress(address: .v4(0xC000_0201), port: 32853)))
        let key = Array(RFC5769.shortTermPassword.utf8)

        let zeroPadded = message.serialize(integrity: (key, .sha1), fingerprint: true)
        #expect(zeroPadded.count == RFC5769.sampleIPv4Response.count)
        let differing = zeroPadded.indices.filter { zeroPadded[$0] != RFC5769.sampleIPv4Response[$0] }
        #expect(differing.first == 35, "the SOFTWARE padding byte, zero here and a space in the RFC")
        #expect(differing.allSatisfy { $0 == 35 || $0 >= 52 }, "then only the MAC and CRC")
        let reparsed = try STUNMessage(parsing: zeroPadded)
        #expect(reparsed.hasValidMessageIntegrity(key: key))
        #expect(reparsed.hasValidFingerprint)
        #expect(try reparsed.attribute(XORMappedAddress.self) == message.attribute(XORMappedAddress.self))

        message.attributes[0].padding = [0x20]
        #expect(message.serialize(integrity: (key, .sha1), fingerprint: true) == RFC5769.sampleIPv4Response)
    }

    @Test func rebuildingTheLongTermRequestMatchesTheRFC() throws {
        let vector = RFC5769.Vector.sampleRequestLongTerm
        var message = STUNMessage(type: vector.messageType, transactionID: vector.transactionID)
        message.append(Username(RFC5769.longTermUsername))
        message.append(Nonce("f//499k954d6OL34oL9FSTvy64sA"))
        message.append(Realm("example.org"))
        #expect(message.serialize(integrity: (vector.integrityKey, .sha1), fingerprint: false) == vector.bytes)
    }
}
