import STUNWire
import Testing
import TURNCore

struct AllocationTests {
    static let start = ContinuousClock.now
    static let client = STUNTransportAddress(address: .v4(0xC000_0201), port: 40_000)
    static let server = STUNTransportAddress(address: .v4(0xC000_0202), port: 3478)
    static let relay = STUNTransportAddress(address: .v4(0xC000_0202), port: 50_000)
    static let peerA = STUNTransportAddress(address: .v4(0x0808_0808), port: 7000)
    static let peerB = STUNTransportAddress(address: .v4(0x0101_0101), port: 7000)

    static func makeAllocation() -> Allocation {
        Allocation(
            fiveTuple: FiveTuple(client: client, server: server, transport: .udp),
            relayedAddress: relay,
            username: "1700000000:alice",
            quotaUser: "alice",
            expiresAt: start + .seconds(600)
        )
    }

    @Test func expiresAtItsLifetimeAndRefreshMovesIt() {
        var allocation = Self.makeAllocation()
        #expect(!allocation.isExpired(at: Self.start + .seconds(599)))
        #expect(allocation.isExpired(at: Self.start + .seconds(600)))
        allocation.refresh(until: Self.start + .seconds(1200))
        #expect(!allocation.isExpired(at: Self.start + .seconds(900)))
    }

    @Test func permissionsAreByIPAndExpire() {
        var allocation = Self.makeAllocation()
        allocation.installPermission(for: Self.peerA.address, until: Self.start + .seconds(300))
        #expect(allocation.hasPermission(for: Self.peerA.address, at: Self.start + .seconds(299)))
        #expect(!allocation.hasPermission(for: Self.peerB.address, at: Self.start))
        #expect(!allocation.hasPermission(for: Self.peerA.address, at: Self.start + .seconds(300)))
        allocation.sweep(at: Self.start + .seconds(301))
        #expect(allocation.permissionCount == 0)
    }

    @Test func bindsRefreshesAndRefusesConflictingChannels() {
        var allocation = Self.makeAllocation()
        let now = Self.start
        #expect(allocation.checkChannelBind(number: 0x4000, peer: Self.peerA, at: now) == .bind)
        allocation.bindChannel(number: 0x4000, peer: Self.peerA, until: now + .seconds(600))
        #expect(allocation.checkChannelBind(number: 0x4000, peer: Self.peerA, at: now) == .refresh)
        #expect(allocation.checkChannelBind(number: 0x4000, peer: Self.peerB, at: now) == .conflict)
        #expect(allocation.checkChannelBind(number: 0x4001, peer: Self.peerA, at: now) == .conflict)
        #expect(allocation.channel(number: 0x4000, at: now)?.peer == Self.peerA)
        #expect(allocation.channelNumber(for: Self.peerA, at: now) == 0x4000)
    }

    @Test func expiredChannelStaysReservedForFiveMinutes() {
        var allocation = Self.makeAllocation()
        allocation.bindChannel(number: 0x4000, peer: Self.peerA, until: Self.start + .seconds(600))
        let expired = Self.start + .seconds(601)
        #expect(allocation.channel(number: 0x4000, at: expired) == nil)
        #expect(allocation.channelNumber(for: Self.peerA, at: expired) == nil)
        #expect(allocation.checkChannelBind(number: 0x4000, peer: Self.peerB, at: expired) == .conflict)
        #expect(allocation.checkChannelBind(number: 0x4000, peer: Self.peerA, at: expired) == .refresh)
        let released = Self.start + .seconds(901)
        #expect(allocation.sweep(at: released) == [0x4000])
        #expect(allocation.checkChannelBind(number: 0x4000, peer: Self.peerB, at: released) == .bind)
    }

    @Test(arguments: [(UInt16(0x3FFF), false, false), (0x4000, true, true), (0x4FFF, true, true), (0x5000, false, true), (0x7FFF, false, true), (0x8000, false, false)])
    func channelNumberRanges(number: UInt16, inRFC8656: Bool, inRFC5766: Bool) {
        #expect(ChannelNumberRange.rfc8656.contains(number) == inRFC8656)
        #expect(ChannelNumberRange.rfc5766.contains(number) == inRFC5766)
    }
}

struct AllocationPermissionLimitTests {
    @Test func capsThePermissionTable() {
        var allocation = AllocationTests.makeAllocation()
        let until = AllocationTests.start + .seconds(300)
        for index in 0..<UInt32(Allocation.maximumPermissions) {
            allocation.installPermission(for: .v4(0x0800_0000 + index), until: until)
        }
        #expect(allocation.canInstallPermissions(for: [IPAddress.v4(0x0800_0000)]))
        #expect(!allocation.canInstallPermissions(for: [IPAddress.v4(0x0900_0000)]))
    }
}
