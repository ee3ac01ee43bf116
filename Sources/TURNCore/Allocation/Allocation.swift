public import STUNWire

/// One allocation: a relayed transport address serving one client 5-tuple.
///
/// RFC 8656 Section 2.2 and Section 5: it holds the relayed address, the user whose
/// credentials created it (later requests must use the same ones), its expiry, its permissions
/// (by peer IP address, Section 9) and its channel bindings (Section 12). All times come in
/// as parameters, so expiry is tested with a scripted clock.
public struct Allocation: Sendable {
    /// The client 5-tuple the allocation serves.
    public let fiveTuple: FiveTuple
    /// The relayed transport address (the address peers see).
    public let relayedAddress: STUNTransportAddress
    /// The second relayed transport address of a dual allocation (RFC 8656 Section 7.2,
    /// ADDITIONAL-ADDRESS-FAMILY): IPv6 beside an IPv4 ``relayedAddress``.
    public let additionalRelayedAddress: STUNTransportAddress?
    /// The authenticated user name (the whole USERNAME value).
    public let username: String
    /// The user quotas are counted against: the part after the timestamp for REST names.
    public let quotaUser: String
    /// When the allocation expires unless refreshed.
    public private(set) var expiresAt: ContinuousClock.Instant

    private var permissions: [IPAddress: ContinuousClock.Instant] = [:]
    private var channelsByNumber: [UInt16: ChannelBinding] = [:]
    private var channelsByPeer: [STUNTransportAddress: UInt16] = [:]

    /// Creates an allocation that lives until `expiresAt`.
    public init(
        fiveTuple: FiveTuple,
        relayedAddress: STUNTransportAddress,
        additionalRelayedAddress: STUNTransportAddress? = nil,
        username: String,
        quotaUser: String,
        expiresAt: ContinuousClock.Instant
    ) {
        self.fiveTuple = fiveTuple
        self.relayedAddress = relayedAddress
        self.additionalRelayedAddress = additionalRelayedAddress
        self.username = username
        self.quotaUser = quotaUser
        self.expiresAt = expiresAt
    }

    /// Whether the allocation relays to peers of `family`: the family of one of its relayed
    /// addresses (RFC 8656 Section 9.1: 443 otherwise).
    public func relays(_ family: STUNAddressFamily) -> Bool {
        self.relayedAddress.address.family == family || self.additionalRelayedAddress?.address.family == family
    }

    /// Whether the allocation has expired at `now`.
    public func isExpired(at now: ContinuousClock.Instant) -> Bool { now >= self.expiresAt }

    /// Sets a new expiry (Refresh, RFC 8656 Section 8).
    public mutating func refresh(until expiresAt: ContinuousClock.Instant) {
        self.expiresAt = expiresAt
    }

    /// Installs or refreshes the permission for `peer` until `expiresAt` (RFC 8656 Section 9).
    public mutating func installPermission(for peer: IPAddress, until expiresAt: ContinuousClock.Instant) {
        self.permissions[peer] = expiresAt
    }

    /// Whether a live permission exists for `peer` at `now` (ports are not part of permissions).
    public func hasPermission(for peer: IPAddress, at now: ContinuousClock.Instant) -> Bool {
        guard let expiry = self.permissions[peer] else { return false }
        return now < expiry
    }

    /// The number of permissions, live or not yet swept.
    public var permissionCount: Int { self.permissions.count }

    /// The most permissions one allocation may hold; CreatePermission past it gets 508, so a
    /// client cannot grow the table without bound.
    public static let maximumPermissions = 256

    /// Whether installing permissions for `peers` stays within ``maximumPermissions``.
    public func canInstallPermissions(for peers: some Sequence<IPAddress>) -> Bool {
        var count = self.permissions.count
        for peer in peers where self.permissions[peer] == nil {
            count += 1
        }
        return count <= Self.maximumPermissions
    }

    /// The number of channel bindings, live or in their quarantine.
    public var channelCount: Int { self.channelsByNumber.count }

    /// The most channel bindings (live or quarantined) one allocation may hold; a ChannelBind
    /// for a new one past it gets 508. RFC 8656 Section 12 allows 16,383 numbers per
    /// allocation; a WebRTC client binds one channel per remote candidate it talks to, a
    /// handful, so 256 (as many as permissions) leaves ample room while bounding the tables.
    public static let maximumChannels = 256

    /// What binding a channel would do, by RFC 8656 Section 12.2's rules.
    public enum ChannelBindCheck: Hashable, Sendable {
        /// A new binding.
        case bind
        /// The same number to the same peer: the binding is refreshed.
        case refresh
        /// The number is bound to another peer, or the peer to another number: 400.
        case conflict
    }

    /// How long an expired channel binding keeps its number and peer from other bindings.
    ///
    /// RFC 8656 Section 12: a channel number or peer address that was bound stays reserved for
    /// five minutes after the binding expires, so stale ChannelData cannot reach a new peer.
    public static let channelQuarantine: Duration = .seconds(300)

    /// Checks whether `number` may be bound to `peer` now (RFC 8656 Section 12.2).
    public func checkChannelBind(number: UInt16, peer: STUNTransportAddress, at now: ContinuousClock.Instant) -> ChannelBindCheck {
        let byNumber = self.channelsByNumber[number].flatMap { now < $0.expiresAt + Self.channelQuarantine ? $0 : nil }
        let byPeer = self.channelsByPeer[peer].flatMap { self.channelsByNumber[$0] }
            .flatMap { now < $0.expiresAt + Self.channelQuarantine ? $0 : nil }
        switch (byNumber, byPeer) {
        case (nil, nil): return .bind
        case (let existing?, let same?) where existing.peer == peer && same.number == number: return .refresh
        default: return .conflict
        }
    }

    /// Binds (or refreshes) `number` to `peer` until `expiresAt`; the caller checked with ``checkChannelBind(number:peer:at:)``.
    public mutating func bindChannel(number: UInt16, peer: STUNTransportAddress, until expiresAt: ContinuousClock.Instant) {
        if let old = self.channelsByNumber[number], old.peer != peer {
            self.channelsByPeer[old.peer] = nil
        }
        if let oldNumber = self.channelsByPeer[peer], oldNumber != number {
            self.channelsByNumber[oldNumber] = nil
        }
        self.channelsByNumber[number] = ChannelBinding(number: number, peer: peer, expiresAt: expiresAt)
        self.channelsByPeer[peer] = number
    }

    /// The live binding of `number` at `now`.
    public func channel(number: UInt16, at now: ContinuousClock.Instant) -> ChannelBinding? {
        guard let binding = self.channelsByNumber[number], now < binding.expiresAt else { return nil }
        return binding
    }

    /// The live channel number bound to `peer` at `now`.
    public func channelNumber(for peer: STUNTransportAddress, at now: ContinuousClock.Instant) -> UInt16? {
        guard let number = self.channelsByPeer[peer], let binding = self.channelsByNumber[number], now < binding.expiresAt else {
            return nil
        }
        return number
    }

    /// The peer bound to channel `number` when ChannelData on it may be relayed at `now`
    /// (RFC 8656 Section 12.6): the allocation is live, the channel bound and the peer permitted.
    func channelDataPeer(number: UInt16, at now: ContinuousClock.Instant) -> STUNTransportAddress? {
        guard !self.isExpired(at: now), let binding = self.channel(number: number, at: now),
            self.hasPermission(for: binding.peer.address, at: now)
        else { return nil }
        return binding.peer
    }

    /// How data from `peer` reaches the client at `now` (RFC 8656 Section 11.3): dropped once
    /// the allocation has expired or without a permission, as ChannelData when the peer has a
    /// channel, else as a Data indication.
    func delivery(from peer: STUNTransportAddress, at now: ContinuousClock.Instant) -> TURNRequestProcessor.PeerDelivery {
        guard !self.isExpired(at: now), self.hasPermission(for: peer.address, at: now) else { return .drop }
        if let channel = self.channelNumber(for: peer, at: now) { return .channel(channel) }
        return .dataIndication
    }

    /// Removes expired permissions, and channel bindings whose quarantine has ended.
    ///
    /// - Returns: the channel numbers removed.
    @discardableResult
    public mutating func sweep(at now: ContinuousClock.Instant) -> [UInt16] {
        if self.permissions.values.contains(where: { now >= $0 }) {
            self.permissions = self.permissions.filter { now < $0.value }
        }
        var removed: [UInt16] = []
        for (number, binding) in self.channelsByNumber where now >= binding.expiresAt + Self.channelQuarantine {
            self.channelsByNumber[number] = nil
            self.channelsByPeer[binding.peer] = nil
            removed.append(number)
        }
        return removed
    }
}
