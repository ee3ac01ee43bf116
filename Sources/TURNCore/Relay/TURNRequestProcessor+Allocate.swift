import Foundation
import STUNWire
public import TURNAuth

extension TURNRequestProcessor {
    /// Allocate, RFC 8656 Section 7.2: checks in the RFC's order, then asks the transport for
    /// a relay socket. The 5-tuple has no allocation (a retransmission was answered before).
    /// A draining node refuses it before anything is reserved: 300 with an ALTERNATE-SERVER
    /// when `alternate-server` is configured, else 508.
    mutating func handleAllocate(
        _ request: STUNMessage,
        on fiveTuple: FiveTuple,
        user: AuthenticatedUser,
        now: ContinuousClock.Instant,
        date: Date
    ) -> TURNAction {
        if self.records[fiveTuple] != nil {
            return self.error(.allocationMismatch, to: request, user: user)
        }
        if self.drain.isDraining {
            let alternates = self.configuration.alternateServers
            guard !alternates.isEmpty else {
                return self.error(.insufficientCapacity, reason: "Server draining", to: request, user: user, refusal: .draining)
            }
            let alternate = alternates[Int(request.transactionID.low % UInt64(alternates.count))]
            return self.error(.tryAlternate, to: request, user: user, refusal: .draining) { $0.append(AlternateServer(alternate)) }
        }
        guard let transport = try? request.attribute(RequestedTransport.self) else {
            return self.error(.badRequest, reason: "REQUESTED-TRANSPORT missing or malformed", to: request, user: user)
        }
        if transport == .tcp, let refusal = self.tcpAllocateRefusal(request, on: fiveTuple, user: user) {
            return refusal
        }
        guard transport == .udp || transport == .tcp else {
            return self.error(.unsupportedTransportProtocol, to: request, user: user)
        }
        let evenPort: EvenPort?
        let requestedFamily: RequestedAddressFamily?
        let additionalFamily: AdditionalAddressFamily?
        let reservationToken: ReservationToken?
        let requestedLifetime: Lifetime?
        do {
            evenPort = try request.attribute(EvenPort.self)
            requestedFamily = try request.attribute(RequestedAddressFamily.self)
            additionalFamily = try request.attribute(AdditionalAddressFamily.self)
            reservationToken = try request.attribute(ReservationToken.self)
            requestedLifetime = try request.attribute(Lifetime.self)
        } catch {
            return self.error(.badRequest, reason: "Malformed attribute", to: request, user: user)
        }
        if reservationToken != nil, evenPort != nil || requestedFamily != nil || additionalFamily != nil {
            return self.error(.badRequest, reason: "RESERVATION-TOKEN with EVEN-PORT or an address family", to: request, user: user)
        }
        if requestedFamily != nil, additionalFamily != nil {
            return self.error(.badRequest, reason: "REQUESTED-ADDRESS-FAMILY with ADDITIONAL-ADDRESS-FAMILY", to: request, user: user)
        }
        if let additionalFamily, additionalFamily.family != .ipv6 {
            return self.error(.badRequest, reason: "ADDITIONAL-ADDRESS-FAMILY must be IPv6", to: request, user: user)
        }
        let family = requestedFamily?.family ?? .ipv4
        guard let relayAddress = family == .ipv4 ? self.configuration.relayIPv4 : self.configuration.relayIPv6 else {
            return self.error(.addressFamilyNotSupported, to: request, user: user)
        }
        var addressErrors: [AddressErrorCode] = []
        var additionalAddress: IPAddress?
        if additionalFamily != nil {
            if let relayIPv6 = self.configuration.relayIPv6, family == .ipv4 {
                additionalAddress = relayIPv6
            } else {
                addressErrors.append(AddressErrorCode(family: .ipv6, code: .addressFamilyNotSupported))
            }
        }
        if let reservationToken {
            guard let reservation = self.reservations.claim(reservationToken.bytes, now: now) else {
                return self.error(.insufficientCapacity, reason: "Unknown or expired RESERVATION-TOKEN", to: request, user: user)
            }
            self.quotas.release(user: reservation.user, room: reservation.room)
        }
        let reservesNextPort = evenPort?.reserveNextPort ?? false
        if let refusal = self.reserveQuota(for: user, slots: reservesNextPort ? 2 : 1, request: request) {
            return refusal
        }
        let lifetime = self.limitedByCredential(
            self.configuration.grantedLifetime(requested: requestedLifetime?.rawValue), user: user, date: date)
        self.pending[fiveTuple] = PendingAllocation(
            request: request, user: user, lifetime: lifetime, addressErrors: addressErrors, reservesNextPort: reservesNextPort)
        return .openRelay(RelayRequest(
            fiveTuple: fiveTuple,
            address: relayAddress,
            additionalAddress: additionalAddress,
            evenPort: evenPort != nil,
            reserveNextPort: reservesNextPort,
            reservationToken: reservationToken?.bytes,
            dontFragment: request.attribute(.dontFragment) != nil,
            bandwidth: self.configuration.bandwidth(for: user.grant),
            transport: transport == .tcp ? .tcp : .udp
        ))
    }

    /// The transport bound the relay socket: the allocation exists from now on.
    ///
    /// - Parameters:
    ///   - relay: the request the processor made.
    ///   - relayPort: the port the socket is bound to.
    ///   - additionalPort: for a dual allocation, the port of the IPv6 socket, or nil when it
    ///     could not be bound (the answer then carries ADDRESS-ERROR-CODE 508 for IPv6).
    ///   - reservationToken: the token of the next port when one was reserved (EVEN-PORT R bit).
    ///   - now: the monotonic time.
    /// - Returns: the success response (XOR-RELAYED-ADDRESS, one per family of a dual
    ///   allocation, LIFETIME, XOR-MAPPED-ADDRESS).
    public mutating func completeAllocation(
        _ relay: RelayRequest,
        relayPort: UInt16,
        additionalPort: UInt16? = nil,
        reservationToken: [UInt8]?,
        endpoint: (any AllocationEndpoint)? = nil,
        now: ContinuousClock.Instant
    ) -> [TURNAction] {
        guard var pending = self.pending.removeValue(forKey: relay.fiveTuple) else {
            return [.closeRelay(relay.fiveTuple, endpoint: endpoint.map(EndpointReference.init))]
        }
        let relayed = STUNTransportAddress(address: relay.address, port: relayPort)
        var additional: STUNTransportAddress?
        if let additionalAddress = relay.additionalAddress {
            if let additionalPort {
                additional = STUNTransportAddress(address: additionalAddress, port: additionalPort)
            } else {
                pending.addressErrors.append(AddressErrorCode(family: .ipv6, code: .insufficientCapacity))
            }
        }
        let allocation = Allocation(
            fiveTuple: relay.fiveTuple,
            relayedAddress: relayed,
            additionalRelayedAddress: additional,
            username: pending.user.username,
            quotaUser: pending.user.user,
            expiresAt: now + pending.lifetime
        )
        var attributes = [
            STUNAttribute(XORRelayedAddress(self.configuration.advertised(relayed)), transactionID: pending.request.transactionID)
        ]
        if let additional {
            attributes.append(STUNAttribute(XORRelayedAddress(self.configuration.advertised(additional)), transactionID: pending.request.transactionID))
        }
        attributes.append(STUNAttribute(Lifetime(UInt32(clamping: pending.lifetime.components.seconds)), transactionID: pending.request.transactionID))
        for addressError in pending.addressErrors {
            attributes.append(STUNAttribute(addressError, transactionID: pending.request.transactionID))
        }
        if let reservationToken {
            attributes.append(STUNAttribute(ReservationToken(reservationToken), transactionID: pending.request.transactionID))
        }
        attributes.append(STUNAttribute(XORMappedAddress(relay.fiveTuple.client), transactionID: pending.request.transactionID))
        let response = self.success(to: pending.request, user: pending.user, attributes: attributes)
        guard case .respond(let bytes, _) = response else { return [response] }
        if pending.reservesNextPort {
            if let reservationToken {
                let entry = ReservationLedger.Entry(
                    user: pending.user.user, room: pending.user.grant.room, expiresAt: now + ReservationLedger.lifetime)
                self.reservations.add(reservationToken, entry)
            } else {
                self.quotas.release(user: pending.user.user, room: pending.user.grant.room)
            }
        }
        self.records[relay.fiveTuple] = AllocationRecord(
            allocation: allocation,
            user: pending.user,
            allocateTransactionID: pending.request.transactionID,
            allocateResponse: bytes,
            tcp: relay.transport == .tcp ? TCPAllocationState() : nil,
            reservationToken: pending.reservesNextPort ? reservationToken : nil,
            endpoint: endpoint
        )
        self.relayedAddresses.insert(allocation, transport: relay.transport)
        return [response]
    }

    /// The transport could not bind a relay socket (no free port, or the reservation token is
    /// unknown): the client gets 508 and its quota slot back.
    public mutating func failAllocation(_ relay: RelayRequest) -> [TURNAction] {
        guard let pending = self.pending.removeValue(forKey: relay.fiveTuple) else { return [] }
        self.releaseQuota(of: pending)
        return [self.error(.insufficientCapacity, to: pending.request, user: pending.user, refusal: .serverCapacity)]
    }

    /// The cluster refused the allocation because the user holds `user-quota` allocations on
    /// other nodes: the client gets 486 and its quota slot back.
    public mutating func refuseAllocationOverClusterQuota(_ relay: RelayRequest) -> [TURNAction] {
        guard let pending = self.pending.removeValue(forKey: relay.fiveTuple) else { return [] }
        self.releaseQuota(of: pending)
        return [self.error(.allocationQuotaReached, to: pending.request, user: pending.user, refusal: .userQuota)]
    }

    /// The user an Allocate waiting for its relay socket counts against, and its credential.
    public func pendingUser(_ relay: RelayRequest) -> AuthenticatedUser? {
        self.pending[relay.fiveTuple]?.user
    }
}
