import STUNWire
import Testing
import TURNCore
import TURNTestSupport

/// Seeded random inputs: the policy treats an IPv4 address and its IPv4-mapped and NAT64 forms
/// alike.
struct PeerPolicyFuzzTests {
    static let inputCount = 20_000

    @Test func judgesIPv4MappedAndNAT64FormsAsTheIPv4AddressInside() {
        var generator = SplitMix64(seed: 0x5EED_0004)
        let policies = [
            PeerAddressPolicy(),
            PeerAddressPolicy(configuration: .init(allowLoopbackPeers: true, allowMulticastPeers: true)),
        ]
        for index in 0..<Self.inputCount {
            let random = UInt32.random(in: 0...UInt32.max, using: &generator)
            let value = index < 256 ? UInt32(index) << 24 | 1 : random
            let mapped = IPAddress.v6(high: 0, low: 0x0000_FFFF_0000_0000 | UInt64(value))
            let nat64 = IPAddress.v6(high: 0x0064_FF9B_0000_0000, low: UInt64(value))
            #expect(policies[0].decision(mapped) == policies[0].decision(.v4(value)), "\(IPAddress.v4(value))")
            #expect(policies[0].decision(nat64) == policies[0].decision(.v4(value)), "\(IPAddress.v4(value))")
            #expect(policies[1].decision(mapped) == policies[1].decision(.v4(value)), "\(IPAddress.v4(value))")
        }
    }
}
