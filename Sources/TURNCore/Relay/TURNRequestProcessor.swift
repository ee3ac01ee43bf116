public import Foundation
import STUNWire
public import TURNAuth

/// The TURN server's protocol decisions for one event loop: every control message in,
/// actions out; allocation-free lookups for the data path.
///
/// RFC 8656 Sections 7-12. The processor owns the allocations of the 5-tuples its event loop
/// serves; the transport executes its ``TURNAction``s and asks it, per relayed packet, where
/// data may go. Quotas are shared between loops through a ``QuotaLedger``. Time comes in as
/// parameters: a monotonic instant for lifetimes, a wall-clock date for nonces and REST
/// credential expiry.
public struct TURNRequestProcessor: Sendable {
    /// Lifetimes, quotas, relay addresses and peer policy.
    public var configuration: RelayConfiguration
    /// The long-term credential check.
    public var authenticator: LongTermAuthenticator

    let quotas: QuotaLedger
    let revocations: RevocationList
    let drain: DrainSwitch
    /// The CONNECTION-IDs of TCP allocations, shared by every processor of the node (RFC 6062).
    public let tcpConnections: TCPConnectionRegistry
    /// The ports EVEN-PORT reserved, shared by every processor of the node.
    public let reservations: ReservationLedger
    /// The relayed transport addresses of the node's allocations, shared by every processor.
    public let relayedAddresses: RelayedAddressRegistry
    /// This processor's per-source limit on challenges.
    var challenges = ChallengeLimiter()

    /// The challenge limiter's buckets that hold a source challenged recently; 0 when the
    /// limit is off.
    public func occupiedChallengeBuckets(now: ContinuousClock.Instant) -> Int {
        self.challenges.occupiedSlots(rate: self.configuration.challengeRate, burst: self.configuration.challengeBurst, now: now)
    }
    var records: [FiveTuple: AllocationRecord] = [:]
    var pending: [FiveTuple: PendingAllocation] = [:]

    /// The comprehension-required attributes TURN requests may carry (RFC 8489, RFC 8656, RFC 8445).
    static let understoodAttributes: Set<STUNAttributeType> = BindingResponder.understoodAttributes.union([
        .requestedTransport, .lifetime, .xorPeerAddress, .channelNumber, .data, .requestedAddressFamily,
        .evenPort, .dontFragment, .reservationToken, .connectionID,
    ])

    /// Creates a processor.
    ///
    /// - Parameters:
    ///   - quotas: allocation counts, shared by every processor of the node.
    ///   - revocations: revoked users, rooms and credentials, shared with the gateway.
    ///   - drain: whether the node refuses new allocations, shared by every processor.
    ///   - tcpConnections: the CONNECTION-IDs of TCP allocations, shared by every processor.
    ///   - reservations: the EVEN-PORT reservations, shared by every processor.
    ///   - relayedAddresses: the relayed transport addresses, shared by every processor.
    public init(
        configuration: RelayConfiguration,
        authenticator: LongTermAuthenticator,
        quotas: QuotaLedger,
        revocations: RevocationList = RevocationList(),
        drain: DrainSwitch = DrainSwitch(),
        tcpConnections: TCPConnectionRegistry = TCPConnectionRegistry(),
        reservations: ReservationLedger = ReservationLedger(),
        relayedAddresses: RelayedAddressRegistry = RelayedAddressRegistry()
    ) {
        self.configuration = configuration
        self.authenticator = authenticator
        self.quotas = quotas
        self.revocations = revocations
        self.drain = drain
        self.tcpConnections = tcpConnections
        self.reservations = reservations
        self.relayedAddresses = relayedAddresses
    }

    /// The allocation of a 5-tuple, if any.
    public func allocation(for fiveTuple: FiveTuple) -> Allocation? { self.records[fiveTuple]?.allocation }

    /// The number of allocations this processor holds.
    public var allocationCount: Int { self.records.count }

    /// Handles one STUN message (not ChannelData) received on `fiveTuple`.
    ///
    /// - Parameters:
    ///   - bytes: exactly one message: a datagram or a stream frame.
    ///   - fiveTuple: where it came from and arrived.
    ///   - now: the monotonic time, for lifetimes.
    ///   - date: the wall-clock time, for nonces and REST credential expiry.
    public mutating func handle(
        _ bytes: Span<UInt8>,
        on fiveTuple: FiveTuple,
        now: ContinuousClock.Instant,
        date: Date
    ) -> [TURNAction] {
        let header: STUNHeader
        do {
            header = try STUNHeader(parsing: bytes)
        } catch {
            return [.ignore(.notSTUN)]
        }
        if header.messageType == SendIndicationView.messageType {
            guard self.configuration.relaysTURN else { return [.ignore(.turnDisabled)] }
            switch self.sendIndication(bytes, on: fiveTuple, now: now) {
            case .forward(let peer, let data, _):
                return [.sendToPeer(fiveTuple, peer: peer, data: data)]
            case .drop(let reason):
                return [.ignore(reason)]
            }
        }
        let message: STUNMessage
        do {
            message = try STUNMessage(parsing: bytes)
        } catch {
            guard header.messageType.messageClass == .request else { return [.ignore(.notARequest)] }
            var response = STUNMessage(type: header.messageType.errorResponse, transactionID: header.transactionID)
            response.append(ErrorCodeAttribute(.badRequest, reason: "Malformed message"))
            return [self.unsigned(response, method: header.messageType.method, code: .badRequest, fingerprint: false)]
        }
        if message.fingerprintOffset != nil, !message.hasValidFingerprint { return [.ignore(.badFingerprint)] }
        switch (message.type.messageClass, message.type.method) {
        case (.indication, _):
            return [.ignore(.indication)]
        case (.successResponse, _), (.errorResponse, _):
            return [.ignore(.notARequest)]
        case (.request, .binding):
            guard self.configuration.answersBinding else { return [.ignore(.stunDisabled)] }
            guard !self.configuration.authenticatesBinding else { return self.handleRequest(message, on: fiveTuple, now: now, date: date) }
            return [self.handleBinding(bytes, from: fiveTuple.client, on: fiveTuple.transport == .udp ? fiveTuple.server : nil)]
        case (.request, _):
            guard self.configuration.relaysTURN else { return [.ignore(.turnDisabled)] }
            return self.handleRequest(message, on: fiveTuple, now: now, date: date)
        }
    }

    private func handleBinding(_ bytes: Span<UInt8>, from client: STUNTransportAddress, on local: STUNTransportAddress?) -> TURNAction {
        let responder = BindingResponder(configuration: .init(
            softwareName: self.configuration.softwareName,
            alwaysFingerprint: self.configuration.alwaysFingerprint,
            natDiscovery: self.configuration.natDiscovery
        ))
        switch responder.handle(bytes, from: client, on: local) {
        case .respond(let response, .bindingSuccess):
            return .respond(response, ResponseSummary(method: .binding, errorCode: nil))
        case .redirect(let response, let origin, let destination):
            return .redirect(response, ResponseSummary(method: .binding, errorCode: nil), origin: origin, destination: destination)
        case .respond(let response, .error(let code, let method)):
            return .respond(response, ResponseSummary(method: method, errorCode: code))
        case .ignore(.notSTUN):
            return .ignore(.notSTUN)
        case .ignore(.badFingerprint):
            return .ignore(.badFingerprint)
        case .ignore(.indication):
            return .ignore(.indication)
        case .ignore(.notARequest):
            return .ignore(.notARequest)
        }
    }

    private mutating func handleRequest(
        _ request: STUNMessage,
        on fiveTuple: FiveTuple,
        now: ContinuousClock.Instant,
        date: Date
    ) -> [TURNAction] {
        let method = request.type.method
        guard [.allocate, .refresh, .createPermission, .channelBind, .connect, .connectionBind, .binding].contains(method) else {
            return [self.error(.badRequest, reason: "Unsupported method", to: request, user: nil)]
        }
        if method == .allocate, let record = self.records[fiveTuple], record.allocateTransactionID == request.transactionID {
            return [.respond(record.allocateResponse, ResponseSummary(method: .allocate, errorCode: nil))]
        }
        if self.pending[fiveTuple] != nil { return [.ignore(.allocationPending)] }
        if method == .allocate, self.relayedAddresses.contains(fiveTuple.client, transport: fiveTuple.transport) {
            return [
                self.unsigned(
                    Self.forbidden(request, reason: "Allocate through this server's relay"), method: method, code: .forbidden,
                    fingerprint: request.fingerprintOffset != nil, refusal: .relayLoop)
            ]
        }
        let user: AuthenticatedUser
        switch self.authenticate(request, on: fiveTuple, date: date) {
        case .authenticated(let authenticated):
            user = authenticated
        case .reject(let rejection):
            if rejection.code == .unauthorized || rejection.code == .staleNonce,
                !self.challenges.allows(
                    fiveTuple.client.address, rate: self.configuration.challengeRate, burst: self.configuration.challengeBurst, now: now)
            {
                return [.ignore(.challengeLimited)]
            }
            return [
                self.unsigned(
                    rejection.errorResponse(to: request), method: method, code: rejection.code,
                    fingerprint: request.fingerprintOffset != nil, refusal: .authentication(rejection.reason))
            ]
        }
        let unknown = request.unknownComprehensionRequired(known: Self.understoodAttributes)
        guard unknown.isEmpty else {
            return [self.error(.unknownAttribute, to: request, user: user) { $0.append(UnknownAttributes(unknown)) }]
        }
        if self.revocations.isRevoked(username: user.username, grant: user.grant, now: date) {
            return [self.error(.forbidden, reason: "Credential revoked", to: request, user: user, refusal: .revoked)]
        }
        if method == .binding {
            return [self.success(to: request, user: user, attributes: [STUNAttribute(XORMappedAddress(fiveTuple.client), transactionID: request.transactionID)])]
        }
        if method == .allocate {
            let closed = self.removeExpiredAllocation(fiveTuple, now: now)
            return closed + [self.handleAllocate(request, on: fiveTuple, user: user, now: now, date: date)]
        }
        if method == .connectionBind {
            return self.handleConnectionBind(request, on: fiveTuple, user: user, now: now)
        }
        guard let record = self.records[fiveTuple], !record.allocation.isExpired(at: now) else {
            return [self.error(.allocationMismatch, to: request, user: user)]
        }
        guard record.user.username == user.username else {
            return [self.error(.wrongCredentials, to: request, user: user)]
        }
        switch method {
        case .refresh: return self.handleRefresh(request, on: fiveTuple, user: user, now: now, date: date)
        case .createPermission: return [self.handleCreatePermission(request, on: fiveTuple, user: user, now: now)]
        case .connect: return [self.handleConnect(request, on: fiveTuple, user: user, now: now)]
        case .channelBind where record.tcp != nil:
            return [self.error(.badRequest, reason: "ChannelBind on a TCP allocation", to: request, user: user)]
        default: return [self.handleChannelBind(request, on: fiveTuple, user: user, now: now)]
        }
    }

    /// A signed success response to `request` with `attributes` (and SOFTWARE).
    func success(to request: STUNMessage, user: AuthenticatedUser, attributes: [STUNAttribute]) -> TURNAction {
        var response = STUNMessage(type: request.type.successResponse, transactionID: request.transactionID, attributes: attributes)
        self.appendSoftware(&response)
        let bytes = response.serialize(integrity: user.integrity, fingerprint: self.fingerprint(request))
        return .respond(bytes, ResponseSummary(method: request.type.method, errorCode: nil))
    }

    /// An error response to `request`, signed when the user is known (RFC 8489 Section 9.2.4).
    func error(
        _ code: STUNErrorCode,
        reason: String? = nil,
        to request: STUNMessage,
        user: AuthenticatedUser?,
        refusal: TURNRefusal? = nil,
        extra: (inout STUNMessage) -> Void = { _ in }
    ) -> TURNAction {
        var response = STUNMessage(type: request.type.errorResponse, transactionID: request.transactionID)
        response.append(ErrorCodeAttribute(code, reason: reason))
        extra(&response)
        self.appendSoftware(&response)
        let bytes = response.serialize(integrity: user?.integrity, fingerprint: self.fingerprint(request))
        return .respond(bytes, ResponseSummary(method: request.type.method, errorCode: code, refusal: refusal))
    }

    /// `lifetime`, cut to what the credential has left under the strict expiry policy.
    func limitedByCredential(_ lifetime: Duration, user: AuthenticatedUser, date: Date) -> Duration {
        guard self.configuration.credentialExpiryPolicy == .strict, let expiry = user.credentialExpiry else { return lifetime }
        let left = Duration.seconds(max(0, Int64(expiry.timeIntervalSince(date).rounded(.down))))
        return min(lifetime, left)
    }

    private func unsigned(
        _ response: STUNMessage,
        method: STUNMethod,
        code: STUNErrorCode,
        fingerprint: Bool,
        refusal: TURNRefusal? = nil
    ) -> TURNAction {
        var response = response
        self.appendSoftware(&response)
        let bytes = response.serialize(integrity: nil, fingerprint: fingerprint || self.configuration.alwaysFingerprint)
        return .respond(bytes, ResponseSummary(method: method, errorCode: code, refusal: refusal))
    }

    /// An unsigned 403 to `request`, for a refusal decided before authentication.
    private static func forbidden(_ request: STUNMessage, reason: String) -> STUNMessage {
        var response = STUNMessage(type: request.type.errorResponse, transactionID: request.transactionID)
        response.append(ErrorCodeAttribute(.forbidden, reason: reason))
        return response
    }

    private func appendSoftware(_ response: inout STUNMessage) {
        if let softwareName = self.configuration.softwareName {
            response.append(Software(softwareName))
        }
    }

    private func fingerprint(_ request: STUNMessage) -> Bool {
        request.fingerprintOffset != nil || self.configuration.alwaysFingerprint
    }
}
