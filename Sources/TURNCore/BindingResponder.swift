public import STUNWire

/// Answers STUN Binding requests: the pure decision, with no sockets.
///
/// RFC 8489 Section 6.3: a Binding request gets a success response with XOR-MAPPED-ADDRESS
/// (the source address the request came from), SOFTWARE when configured, and FINGERPRINT when
/// the request had one or the server always adds it. A request that is recognisably STUN but
/// malformed gets 400; one with an unknown comprehension-required attribute gets 420 with
/// UNKNOWN-ATTRIBUTES. Anything that is not a STUN request (garbage, responses, indications, a
/// failed FINGERPRINT) gets no answer at all, so the server cannot be used to reflect traffic.
/// With ``Configuration/natDiscovery``, a request received on a partnered address is answered
/// as RFC 5780 Section 6.1 says: OTHER-ADDRESS and RESPONSE-ORIGIN, CHANGE-REQUEST and
/// RESPONSE-PORT honoured, PADDING accepted (the response is not padded).
public struct BindingResponder: Sendable {
    /// What the responder adds to its answers.
    public struct Configuration: Sendable, Hashable {
        /// The SOFTWARE attribute's text, or nil to send none.
        public var softwareName: String?
        /// Whether every response carries FINGERPRINT, not only answers to requests that had one.
        public var alwaysFingerprint: Bool
        /// RFC 5780 NAT behaviour discovery (coturn's `rfc5780`), or nil for none.
        public var natDiscovery: NATDiscovery?

        /// Creates a configuration.
        public init(softwareName: String? = nil, alwaysFingerprint: Bool = false, natDiscovery: NATDiscovery? = nil) {
            self.softwareName = softwareName
            self.alwaysFingerprint = alwaysFingerprint
            self.natDiscovery = natDiscovery
        }
    }

    /// What to do with one received message.
    public enum Outcome: Hashable, Sendable {
        /// Send these bytes back to the source.
        case respond([UInt8], Response)
        /// Send this Binding success response from `origin`, one of the server's addresses, to
        /// `destination` (RFC 5780 CHANGE-REQUEST and RESPONSE-PORT).
        case redirect([UInt8], origin: STUNTransportAddress, destination: STUNTransportAddress)
        /// Send nothing.
        case ignore(IgnoreReason)
    }

    /// The kind of answer sent, for counting.
    public enum Response: Hashable, Sendable {
        /// A Binding success response.
        case bindingSuccess
        /// An error response with this code, to a request for this method.
        case error(STUNErrorCode, method: STUNMethod)
    }

    /// Why a message got no answer, for counting.
    public enum IgnoreReason: String, Hashable, Sendable, CaseIterable {
        /// Not a STUN message (bad header or magic cookie, or too short).
        case notSTUN = "not_stun"
        /// A STUN response or a malformed non-request: nothing to answer.
        case notARequest = "not_a_request"
        /// An indication (for Binding: a keep-alive), which is never answered.
        case indication
        /// FINGERPRINT was present and wrong (RFC 8489 Section 7.3).
        case badFingerprint = "bad_fingerprint"
    }

    /// The comprehension-required attributes a Binding request may carry without a 420.
    ///
    /// The authentication and ICE attributes of RFC 8489 and RFC 8445 (a Binding server with
    /// no credentials ignores them). CHANGE-REQUEST (RFC 5780) is absent: only an address with
    /// NAT behaviour discovery understands it, and RFC 5780 Section 6.1 has the others answer
    /// 420 so that clients can tell.
    public static let understoodAttributes: Set<STUNAttributeType> = [
        .username, .userHash, .messageIntegrity, .messageIntegritySHA256, .realm, .nonce,
        .passwordAlgorithm, .priority, .useCandidate, .errorCode, .unknownAttributes,
        .xorMappedAddress, .mappedAddress,
    ]

    /// The configuration.
    public var configuration: Configuration

    /// Creates a responder.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Decides what to answer to one message received from `source`.
    ///
    /// - Parameters:
    ///   - bytes: exactly one message: a whole datagram, or one stream frame.
    ///   - source: the transport address the message came from.
    ///   - local: the UDP address it was received on, for NAT behaviour discovery; nil over a
    ///     stream, where discovery does not apply.
    public func handle(_ bytes: Span<UInt8>, from source: STUNTransportAddress, on local: STUNTransportAddress? = nil) -> Outcome {
        let header: STUNHeader
        do {
            header = try STUNHeader(parsing: bytes)
        } catch {
            return .ignore(.notSTUN)
        }
        let message: STUNMessage
        do {
            message = try STUNMessage(parsing: bytes)
        } catch {
            guard header.messageType.messageClass == .request else { return .ignore(.notARequest) }
            return self.error(.badRequest, reason: "Malformed message", to: header, fingerprint: false)
        }
        let hasFingerprint = message.fingerprintOffset != nil
        if hasFingerprint, !message.hasValidFingerprint { return .ignore(.badFingerprint) }
        switch message.type.messageClass {
        case .request: break
        case .indication: return .ignore(.indication)
        case .successResponse, .errorResponse: return .ignore(.notARequest)
        }
        guard message.type.method == .binding else {
            return self.error(.badRequest, reason: "Unsupported method", to: header, fingerprint: hasFingerprint)
        }
        let discovery = local.flatMap { local in
            self.configuration.natDiscovery?.otherAddress(of: local).map { (local: local, other: $0) }
        }
        let known = discovery == nil ? Self.understoodAttributes : Self.understoodAttributes.union([.changeRequest, .responsePort, .padding])
        let unknown = message.unknownComprehensionRequired(known: known)
        guard unknown.isEmpty else {
            return self.error(.unknownAttribute, to: header, fingerprint: hasFingerprint) { response in
                response.append(UnknownAttributes(unknown))
            }
        }
        var origin = local
        var destination = source
        if let discovery, let natDiscovery = self.configuration.natDiscovery {
            let change: ChangeRequest?
            let responsePort: ResponsePort?
            do {
                change = try message.attribute(ChangeRequest.self)
                responsePort = try message.attribute(ResponsePort.self)
            } catch {
                return self.error(.badRequest, reason: "Malformed CHANGE-REQUEST or RESPONSE-PORT", to: header, fingerprint: hasFingerprint)
            }
            if let change { origin = natDiscovery.source(for: discovery.local, change: change) }
            if let port = responsePort?.port {
                guard port != 0 else { return self.error(.badRequest, reason: "RESPONSE-PORT 0", to: header, fingerprint: hasFingerprint) }
                destination = STUNTransportAddress(address: source.address, port: port)
            }
        }
        var response = STUNMessage(type: message.type.successResponse, transactionID: message.transactionID)
        response.append(XORMappedAddress(source))
        if let discovery, let origin {
            response.append(ResponseOrigin(origin))
            response.append(OtherAddress(discovery.other))
        }
        if let softwareName = self.configuration.softwareName {
            response.append(Software(softwareName))
        }
        let bytes = response.serialize(integrity: nil, fingerprint: hasFingerprint || self.configuration.alwaysFingerprint)
        if let origin, origin != local || destination != source {
            return .redirect(bytes, origin: origin, destination: destination)
        }
        return .respond(bytes, .bindingSuccess)
    }

    private func error(
        _ code: STUNErrorCode,
        reason: String? = nil,
        to header: STUNHeader,
        fingerprint: Bool,
        extra: (inout STUNMessage) -> Void = { _ in }
    ) -> Outcome {
        var response = STUNMessage(type: header.messageType.errorResponse, transactionID: header.transactionID)
        response.append(ErrorCodeAttribute(code, reason: reason))
        extra(&response)
        if let softwareName = self.configuration.softwareName {
            response.append(Software(softwareName))
        }
        let bytes = response.serialize(integrity: nil, fingerprint: fingerprint || self.configuration.alwaysFingerprint)
        return .respond(bytes, .error(code, method: header.messageType.method))
    }
}
