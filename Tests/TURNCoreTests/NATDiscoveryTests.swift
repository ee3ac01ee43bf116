import STUNWire
import Testing
import TURNCore

/// RFC 5780 NAT behaviour discovery: OTHER-ADDRESS and RESPONSE-ORIGIN in Binding responses on
/// partnered addresses, CHANGE-REQUEST answered from the matching address and port.
struct NATDiscoveryTests {
    static let primary = IPAddress.v4(0x7F00_0001)
    static let alternate = IPAddress.v4(0x7F00_0002)
    static let lonely = IPAddress.v6(high: 0x2001_0DB8_0000_0000, low: 1)
    static let discovery = NATDiscovery(listening: [primary, lonely, alternate], port: 3478, alternatePort: 3479)
    static let client = BindingResponderTests.client

    private func handle(_ attributes: [STUNAttribute] = [], on local: STUNTransportAddress) -> BindingResponder.Outcome {
        let responder = BindingResponder(configuration: .init(natDiscovery: Self.discovery))
        return responder.handle(BindingResponderTests.request(attributes: attributes).span, from: Self.client, on: local)
    }

    @Test func pairsTheFirstTwoAddressesOfAFamily() {
        #expect(Self.discovery.partners == [Self.primary: Self.alternate, Self.alternate: Self.primary])
        #expect(Self.discovery.alternateListeners == [
            STUNTransportAddress(address: Self.primary, port: 3479), STUNTransportAddress(address: Self.alternate, port: 3479),
        ])
    }

    @Test(arguments: [
        (STUNTransportAddress(address: primary, port: 3478), STUNTransportAddress(address: alternate, port: 3479)),
        (STUNTransportAddress(address: alternate, port: 3479), STUNTransportAddress(address: primary, port: 3478)),
        (STUNTransportAddress(address: primary, port: 3479), STUNTransportAddress(address: alternate, port: 3478)),
    ])
    func advertisesTheOtherAddressAndTheOrigin(local: STUNTransportAddress, other: STUNTransportAddress) throws {
        guard case .respond(let bytes, .bindingSuccess) = self.handle(on: local) else {
            Issue.record("expected a plain response")
            return
        }
        let response = try STUNMessage(parsing: bytes)
        #expect(try response.attribute(OtherAddress.self)?.address == other)
        #expect(try response.attribute(ResponseOrigin.self)?.address == local)
        #expect(try response.attribute(XORMappedAddress.self)?.address == Self.client)
    }

    @Test(arguments: [(false, false, 3478, primary), (false, true, 3479, primary), (true, false, 3478, alternate), (true, true, 3479, alternate)])
    func answersAChangeRequestFromTheAskedAddress(changeIP: Bool, changePort: Bool, port: UInt16, address: IPAddress) throws {
        let local = STUNTransportAddress(address: Self.primary, port: 3478)
        let expected = STUNTransportAddress(address: address, port: port)
        let change = STUNAttribute(ChangeRequest(changeIP: changeIP, changePort: changePort), transactionID: BindingResponderTests.transactionID)
        let outcome = self.handle([change], on: local)
        let bytes: [UInt8]
        switch outcome {
        case .respond(let response, .bindingSuccess) where expected == local: bytes = response
        case .redirect(let response, let origin, let destination) where origin == expected && destination == Self.client: bytes = response
        default:
            Issue.record("expected an answer from \(expected), got \(outcome)")
            return
        }
        #expect(try STUNMessage(parsing: bytes).attribute(ResponseOrigin.self)?.address == expected)
    }

    @Test func sendsToTheResponsePortAtTheSourceAddress() throws {
        let local = STUNTransportAddress(address: Self.primary, port: 3478)
        let port = STUNAttribute(ResponsePort(port: 40_001), transactionID: BindingResponderTests.transactionID)
        let padding = STUNAttribute(type: .padding, value: Array(repeating: 0, count: 64))
        guard case .redirect(let bytes, let origin, let destination) = self.handle([port, padding], on: local) else {
            Issue.record("expected a redirected response")
            return
        }
        #expect(origin == local)
        #expect(destination == STUNTransportAddress(address: Self.client.address, port: 40_001))
        #expect(try STUNMessage(parsing: bytes).attribute(XORMappedAddress.self)?.address == Self.client)
    }

    @Test func anAddressWithoutPartnerRefusesChangeRequestWith420() {
        let change = STUNAttribute(ChangeRequest(changeIP: true, changePort: false), transactionID: BindingResponderTests.transactionID)
        let outcome = self.handle([change], on: STUNTransportAddress(address: Self.lonely, port: 3478))
        guard case .respond(_, .error(let code, _)) = outcome else {
            Issue.record("expected an error, got \(outcome)")
            return
        }
        #expect(code == .unknownAttribute)
    }

    @Test func aStreamRequestGetsNoDiscoveryAttributes() throws {
        let responder = BindingResponder(configuration: .init(natDiscovery: Self.discovery))
        guard case .respond(let bytes, .bindingSuccess) = responder.handle(BindingResponderTests.request().span, from: Self.client) else {
            Issue.record("expected a response")
            return
        }
        #expect(try STUNMessage(parsing: bytes).attribute(OtherAddress.self) == nil)
    }
}
